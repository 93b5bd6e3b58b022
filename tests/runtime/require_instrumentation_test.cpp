// Built without instrumentation: TALLY_REQUIRE_INSTRUMENTATION() skips.
#include <gtest/gtest.h>

#include "tally/gtest.hpp"

TEST(RequireInstrumentation, SkipsWithoutInstrumentedCode) {
  TALLY_REQUIRE_INSTRUMENTATION();
  FAIL() << "ran although nothing is instrumented";
}
