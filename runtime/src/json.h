// Inside the runtime: JSON of entries in an order of the caller's choice.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include "tally/tally.hpp"

namespace tally::detail {

// A "tally-profile" document of `entries`, in their order.
std::string profile_json(const std::vector<Entry>& entries);

}  // namespace tally::detail
