// GoogleTest support for tally profiles: the matchers of matchers.hpp and
// snapshots.hpp, and the per-test report of report_listener.hpp
// (TALLY_REPORT=<path>.json).  A Profile prints as a table in failure
// messages wherever it is used (PrintTo, in tally.hpp).
#ifndef TALLY_GTEST_HPP_
#define TALLY_GTEST_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <gtest/gtest.h>  // GTEST_SKIP

#include "tally/matchers.hpp"
#include "tally/report_listener.hpp"
#include "tally/snapshots.hpp"
#include "tally/tally.hpp"

// Skips the current test when no instrumented code is loaded in the process,
// as happens when the build was configured without TALLY_INSTRUMENT=ON.
#define TALLY_REQUIRE_INSTRUMENTATION()                                      \
  do {                                                                       \
    if (!::tally::instrumented())                                            \
      GTEST_SKIP() << "no instrumented code in this process; configure with " \
                      "-DTALLY_INSTRUMENT=ON to count calls";                \
  } while (false)

#endif  // TALLY_GTEST_HPP_
