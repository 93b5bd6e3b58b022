// Lists of entries, inside the runtime.
#ifndef TALLY_RUNTIME_ENTRIES_H_
#define TALLY_RUNTIME_ENTRIES_H_

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>  // std::vector

#include "tally/tally.hpp"

namespace tally::detail {

// One entry per function (same signature, file and line), with the counts
// of its entries summed, sorted by signature, file and line.
std::vector<Entry> one_per_function(std::vector<Entry> entries);

// `entries` without the calls counted at call sites (Entry::Kind::calls)
// of a function whose entries are counted too (Entry::Kind::entries): those
// calls are in its entry count already.
std::vector<Entry> without_counted_twice(std::vector<Entry> entries);

// Whether `query` names the function of this name and signature, as
// tally::matches says for an entry of them.
bool matches_function(std::string_view name, std::string_view signature,
                      std::string_view query);

// Where an entry's function is, as tables show it: file:line (nothing when
// the file is not known), followed by " (calls into)" for calls counted at
// call sites (Entry::Kind::calls).
std::string location(const Entry& entry);

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_ENTRIES_H_
