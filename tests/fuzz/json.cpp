// Fuzz target: the JSON documents tally reads: "tally-report" (TALLY_REPORT,
// tally record -o) and "tally-profile" (profiles and snapshot files), as
// tally report, tally diff and snapshot tests read them.  What reads
// without an error is written again and must read back the same.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tally/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  try {
    tally::Profile profile = tally::profile_from_json(json);
    std::string again = tally::to_json(profile);
    if (tally::to_json(tally::profile_from_json(again)) != again) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  try {
    tally::Report report = tally::report_or_profile_from_json(json);
    std::string again = tally::to_json(report);
    if (tally::to_json(tally::report_from_json(again)) != again) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  return 0;
}
