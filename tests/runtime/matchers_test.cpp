// The matchers of <tally/gtest.hpp>, by the exact text of their descriptions
// and explanations.  workload.cpp is instrumented, so that its functions are
// the registered names that suggestions come from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "entries.hpp"
#include "tally/gtest.hpp"
#include "workload.hpp"

namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Ge;
using ::testing::Le;
using ::testing::Matcher;
using ::testing::Not;

// A profile of the registered workload functions.
tally::Profile sample() {
  return tally::Profile({entry("work::leaf(int)", 10, 6, "/src/workload.cpp", 7),
                         entry("work::branch(int)", 12, 2, "/src/workload.cpp", 9),
                         entry("work::thrower(int)", 13, 1, "/src/workload.cpp", 15)});
}

std::string describe(const Matcher<const tally::Profile&>& m) {
  return ::testing::DescribeMatcher<const tally::Profile&>(m);
}
std::string describe_negation(const Matcher<const tally::Profile&>& m) {
  return ::testing::DescribeMatcher<const tally::Profile&>(m, /*negation=*/true);
}
std::string explain(const Matcher<const tally::Profile&>& m, const tally::Profile& p) {
  ::testing::StringMatchResultListener listener;
  m.MatchAndExplain(p, &listener);
  return listener.str();
}

TEST(Calls, MatchesExactCountsAndCountMatchers) {
  tally::Profile p = sample();
  EXPECT_THAT(p, tally::Calls("work::leaf", 6));
  EXPECT_THAT(p, Not(tally::Calls("work::leaf", 5)));
  EXPECT_THAT(p, tally::Calls("work::leaf", Le(6)));
  EXPECT_THAT(p, Not(tally::Calls("work::leaf", Le(4))));
  EXPECT_THAT(p, AllOf(tally::Calls("work::branch", 2), tally::Calls("work::thrower", Ge(1))));
  EXPECT_THAT(p, AnyOf(tally::Calls("work::branch", 3), tally::Calls("work::leaf(int)", 6)));
}

TEST(Calls, DescribesItselfAsAPredicate) {
  EXPECT_EQ(describe(tally::Calls("work::leaf", 4)),
            "calls work::leaf a number of times that is equal to 4");
  EXPECT_EQ(describe_negation(tally::Calls("work::leaf", 4)),
            "calls work::leaf a number of times that isn't equal to 4");
  EXPECT_EQ(describe(tally::Calls("work::leaf", Le(4))),
            "calls work::leaf a number of times that is <= 4");
}

TEST(Calls, ExplainsWithTheRowsItIsAbout) {
  EXPECT_EQ(explain(tally::Calls("work::leaf", 4), sample()),
            "which calls work::leaf 6 times:\n"
            "  count  function         location\n"
            ">     6  work::leaf(int)  /src/workload.cpp:7\n");
}

TEST(Calls, SuggestsNamesForAnUnknownQuery) {
  EXPECT_EQ(explain(tally::Calls("work::leef", 1), sample()),
            "which calls work::leef 0 times; no function named work::leef; "
            "did you mean work::leaf, work::branch or work::thrower?");
}

TEST(Calls, SaysNothingMoreForAKnownFunctionThatDidNotRun) {
  EXPECT_EQ(explain(tally::Calls("work::leaf", 1), tally::Profile()),
            "which calls work::leaf 0 times");
}

TEST(NotCalled, MatchesAndDescribes) {
  EXPECT_THAT(sample(), tally::NotCalled("work::missing_but_unknown"));
  EXPECT_THAT(sample(), Not(tally::NotCalled("work::branch")));
  EXPECT_EQ(describe(tally::NotCalled("work::branch")), "doesn't call work::branch");
  EXPECT_EQ(describe_negation(tally::NotCalled("work::branch")), "calls work::branch");
  EXPECT_EQ(explain(tally::NotCalled("work::branch"), sample()),
            "which calls work::branch 2 times:\n"
            "  count  function           location\n"
            ">     2  work::branch(int)  /src/workload.cpp:9\n");
}

TEST(CallsMatching, SumsFunctionsWhoseNamesMatch) {
  tally::Profile p = sample();
  EXPECT_THAT(p, tally::CallsMatching("^work::(leaf|branch)$", 8));
  EXPECT_THAT(p, tally::NoCallsMatching("^example::db::"));
  EXPECT_THAT(p, Not(tally::NoCallsMatching("thrower")));
  EXPECT_EQ(describe(tally::CallsMatching("^work::", Ge(2))),
            "calls functions matching /^work::/ a number of times that is >= 2");
  EXPECT_EQ(describe(tally::NoCallsMatching("^db::")),
            "calls functions matching /^db::/ a number of times that is equal to 0");
  EXPECT_EQ(explain(tally::NoCallsMatching("er$"), p),
            "which calls functions matching /er$/ 1 time:\n"
            "  count  function            location\n"
            ">     1  work::thrower(int)  /src/workload.cpp:15\n");
}

TEST(CallsOnly, ListsTheOtherFunctions) {
  tally::Profile p = sample();
  EXPECT_THAT(p, tally::CallsOnly({"work::leaf", "work::branch", "work::thrower"}));
  EXPECT_THAT(p, Not(tally::CallsOnly({"work::leaf"})));
  EXPECT_EQ(describe(tally::CallsOnly({"work::leaf", "work::branch"})),
            "calls no function but work::leaf and work::branch");
  EXPECT_EQ(describe_negation(tally::CallsOnly({"work::leaf"})),
            "calls some function other than work::leaf");
  EXPECT_EQ(explain(tally::CallsOnly({"work::leaf"}), p),
            "which also calls:\n"
            "  count  function            location\n"
            ">     2  work::branch(int)   /src/workload.cpp:9\n"
            ">     1  work::thrower(int)  /src/workload.cpp:15\n");
}

TEST(TotalCalls, CountsEveryCall) {
  EXPECT_THAT(sample(), tally::TotalCalls(9));
  EXPECT_THAT(sample(), tally::TotalCalls(Le(10)));
  EXPECT_EQ(describe(tally::TotalCalls(9)), "makes a total number of calls that is equal to 9");
  EXPECT_EQ(explain(tally::TotalCalls(1), sample()), "which makes 9 calls");
}

TEST(Matchers, WorkOnRealProfiles) {
  tally::Profile p = tally::profile([] { work::branch(3); });
  EXPECT_THAT(p, tally::Calls("work::leaf", 3));
  EXPECT_THAT(p, tally::CallsOnly({"work::leaf", "work::branch"}));
  EXPECT_THAT(p, tally::NotCalled("work::thrower"));
}

}  // namespace
