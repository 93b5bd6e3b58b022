// Compiled with tally_compile_options() by hand, not tally_instrument(),
// and linked with the instrumented geometry library, whose consumers get the
// plugin restricted to its header code: this file still counts all of its
// own functions, and the library's header code.
#include <gtest/gtest.h>
#include <tally/gtest.hpp>

#include "geometry/shapes.hpp"

namespace manual {
int own(int x) { return x + 1; }
}  // namespace manual

namespace {

TEST(Manual, CountsItsOwnFunctionsAndTheLibrarysHeaderCode) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    volatile int n = manual::own(1);
    geometry::Circle circle(1);
    (void)n;
  });
  EXPECT_EQ(p.count("manual::own(int)"), 1u) << p;
  EXPECT_EQ(p.count("geometry::Circle::Circle"), 1u);  // inline, in the header
  EXPECT_EQ(p.count("geometry::Shape::Shape"), 1u);
}

}  // namespace
