// Reading what a site record describes: its unit's description, inflated
// and decoded once per reader.  Internal to libtally.
#ifndef TALLY_RUNTIME_UNITS_H_
#define TALLY_RUNTIME_UNITS_H_

#include <cstddef>        // std::size_t
#include <cstdint>        // std::uint64_t
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "description.h"
#include "tally/detail/site.h"
#include "tally/tally.hpp"

namespace tally::detail {

inline const std::uint64_t* counter_of(const tally_site& site) {
  return reinterpret_cast<const std::uint64_t*>(
      reinterpret_cast<const char*>(&site.counter) + site.counter);
}

inline const tally_unit* unit_of(const tally_site& site) {
  return reinterpret_cast<const tally_unit*>(reinterpret_cast<const char*>(&site.unit) +
                                             site.unit);
}

// Turns site records into entries.  Decodes each unit the first time one of
// its sites is asked for, so a reader of many sites decodes each unit once.
// Use it while the modules of the sites are kept loaded (ModuleReader).
class Describer {
 public:
  // The function that `site` records, with count 0.  For a call site
  // (callers): Entry::Kind::call_site, the callee's signature and name, and
  // the call's file and line.
  Entry entry(const tally_site& site);
  // Whether `site` records a call site, and which, with count 0.
  bool is_call_site(const tally_site& site);
  CallSite call_site(const tally_site& site);

 private:
  // files[0]: the unit's own file
  const Description& decode(const tally_unit* unit);

  std::unordered_map<const tally_unit*, Description> units_;
};

// What the sites of a module count, in the order of the sites: each
// site's entry and, where it is a call site (Entry::Kind::call_site), the
// call (calls[i], with count 0; empty for the other sites).
struct SiteList {
  std::vector<Entry> entries;
  std::vector<CallSite> calls;
};

// The sites of one module.  Call sites need the Describer of their module.
SiteList site_list(const tally_site* begin, const tally_site* end, Describer& describer);

// `sites` in the description format of tally/detail/site.h with no file of
// its own (every file is in the table), as a session's segment keeps them:
// one function per site, in their order, so that counts stay in step; a
// call site's caller is the index of a function, and the callers that are
// no site of the module follow the sites.  decode_sites reads the `count`
// sites of `raw` into `into`, and returns false, with what it read so far,
// on malformed bytes.
std::string encode_sites(const SiteList& sites);
bool decode_sites(const std::string& raw, std::size_t count, SiteList& into);

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_UNITS_H_
