// Inside the runtime: JSON of entries in an order of the caller's choice.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "tally/tally.hpp"

namespace tally::detail {

// A "tally-profile" document of `entries`, in their order.
std::string profile_json(const std::vector<Entry>& entries,
                         const std::vector<CallSite>& call_sites = {});

// Writes `text` to `path` through a temporary file in the same directory,
// so that readers never see half a file.  Returns an empty string, or what
// went wrong ("cannot write /x/y.json: No such file or directory").
std::string write_file(const std::string& path, std::string_view text);

}  // namespace tally::detail
