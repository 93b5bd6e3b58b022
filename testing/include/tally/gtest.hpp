// GoogleTest support for tally profiles: the matchers of matchers.hpp and
// snapshots.hpp, profiles printed as tables in failure messages, and the
// per-test report of report_listener.hpp (TALLY_REPORT=<path>.json).
#ifndef TALLY_GTEST_HPP_
#define TALLY_GTEST_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <gtest/gtest.h>  // GTEST_SKIP

#include <ostream>  // std::ostream

#include "tally/matchers.hpp"
#include "tally/report_listener.hpp"
#include "tally/snapshots.hpp"
#include "tally/tally.hpp"

namespace tally {

// GoogleTest prints a Profile in failure messages as an aligned table:
// count, function signature, file:line, most-called first; a long one is cut
// after 30 rows, with a line that counts the rest.
inline void PrintTo(const Profile& profile, std::ostream* os) {
  TableOptions options;
  options.max_rows = 30;
  *os << '\n';
  print_table(*os, profile, options);
}

}  // namespace tally

// Skips the current test when no instrumented code is loaded in the process,
// as happens when the build was configured without TALLY_INSTRUMENT=ON.
#define TALLY_REQUIRE_INSTRUMENTATION()                                      \
  do {                                                                       \
    if (!::tally::instrumented())                                            \
      GTEST_SKIP() << "no instrumented code in this process; configure with " \
                      "-DTALLY_INSTRUMENT=ON to count calls";                \
  } while (false)

#endif  // TALLY_GTEST_HPP_
