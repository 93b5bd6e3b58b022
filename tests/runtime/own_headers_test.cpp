// This file is instrumented, and tally's headers come in through a plain -I
// (as with add_subdirectory or pkg-config's tally.pc): tally's own header
// functions must still never be counted, so a profile never counts itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>  // std::any_of
#include <string>     // std::string

#include "tally/gtest.hpp"
#include "tally/matchers.hpp"
#include "tally/tally.hpp"

namespace own {
int twice(int x) { return 2 * x; }
}  // namespace own

namespace {

bool from_tally(const tally::Entry& e) { return e.name.rfind("tally::", 0) == 0; }

TEST(OwnHeaders, AreNotRegistered) {
  // Use the header functions, so they are emitted in this instrumented file.
  auto calls = tally::profile([] { own::twice(1); });
  EXPECT_FALSE(calls.empty());
  EXPECT_EQ(calls.size(), 1u);
  for (const tally::Entry& e : calls) EXPECT_EQ(e.name, "own::twice");
  for (const tally::Entry& e : tally::registered_functions())
    EXPECT_FALSE(from_tally(e)) << e.signature << " at " << e.file << ":" << e.line;
}

TEST(OwnHeaders, ANestedProfileCountsOnlyTheCode) {
  auto outer = tally::profile([] {
    auto inner = tally::profile([] { own::twice(2); });
    EXPECT_EQ(inner.size(), 1u);
    EXPECT_FALSE(inner.empty());
    std::size_t n = 0;
    for (auto it = inner.begin(); it != inner.end(); ++it) ++n;
    EXPECT_EQ(n, 1u);
    EXPECT_THAT(inner, tally::CallsOnly({"own::twice"}));
    EXPECT_THAT(inner, tally::TotalCalls(1));
    own::twice(3);
  });
  EXPECT_EQ(outer.size(), 1u);
  EXPECT_EQ(outer.total(), 2u);
  EXPECT_EQ(outer.count("own::twice"), 2u);
  EXPECT_THAT(outer, tally::CallsOnly({"own::twice"}));
  EXPECT_THAT(outer, tally::TotalCalls(2));
}

}  // namespace
