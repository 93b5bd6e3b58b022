// Lists of entries, inside the runtime.
#ifndef TALLY_RUNTIME_ENTRIES_H_
#define TALLY_RUNTIME_ENTRIES_H_

#include <vector>  // std::vector

#include "tally/tally.hpp"

namespace tally::detail {

// One entry per function (same signature, file and line), with the counts
// of its entries summed, sorted by signature, file and line.
std::vector<Entry> one_per_function(std::vector<Entry> entries);

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_ENTRIES_H_
