// The matchers of <tally/gtest.hpp>, by the exact text of their descriptions
// and explanations.  workload.cpp is instrumented, so that its functions are
// the registered names that suggestions come from.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

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
// The messages of the failures that fn() reports, which do not fail this
// test.
std::vector<std::string> failures(const std::function<void()>& fn) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    fn();
  }
  std::vector<std::string> out;
  for (int i = 0; i < results.size(); ++i) out.push_back(results.GetTestPartResult(i).message());
  return out;
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
  std::string explanation;
  EXPECT_NONFATAL_FAILURE(explanation = explain(tally::Calls("work::leef", 1), sample()),
                          "did you mean work::leaf, work::branch or work::thrower?");
  EXPECT_EQ(explanation,
            "which calls work::leef 0 times; no function named work::leef; "
            "did you mean work::leaf, work::branch or work::thrower?");
}

// What a test that asks about a misspelt name reports, whatever wraps the
// matcher: the query's own failure, where the matcher was written.
constexpr const char* kLeefFailure =
    "tally: Calls(\"work::leef\") asks about a function that doesn't exist: no function "
    "named work::leef; did you mean work::leaf, work::branch or work::thrower? (a query "
    "that names no instrumented function fails the test, whatever matcher wraps it)";

TEST(Calls, FailsForAQueryThatNamesNoFunctionWhateverTheCount) {
  // A budget on a misspelt name would always hold.
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(sample(), Not(tally::Calls("work::leef", Le(2)))),
                          kLeefFailure);
  EXPECT_NONFATAL_FAILURE(EXPECT_THAT(sample(), Not(tally::Calls("work::leef", 0))),
                          kLeefFailure);
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(sample(), AnyOf(tally::Calls("work::leef", 0), tally::TotalCalls(9))),
      kLeefFailure);
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(sample(), Not(tally::NotCalled("work::leef"))),
      "tally: NotCalled(\"work::leef\") asks about a function that doesn't exist: no "
      "function named work::leef; did you mean work::leaf, work::branch or work::thrower?");
  std::string explanation;
  EXPECT_NONFATAL_FAILURE(explanation = explain(tally::NotCalled("work::leef"), tally::Profile()),
                          "NotCalled");
  EXPECT_EQ(explanation,
            "which calls work::leef 0 times; no function named work::leef; "
            "did you mean work::leaf, work::branch or work::thrower?");
  // A name in the profile is known even when no module registers it now.
  EXPECT_THAT(tally::Profile({entry("gone::f()", 7, 2)}), tally::Calls("gone::f", 2));
}

TEST(Calls, ReportsAnUnknownQueryOnceAtTheLineItIsWrittenOn) {
  Matcher<const tally::Profile&> m = tally::Calls("work::leef", 0);
  std::vector<std::string> reported = failures([&] {
    EXPECT_THAT(sample(), m);
    EXPECT_THAT(sample(), m);
  });
  // The query itself, once, as the first EXPECT_THAT matches; then each
  // EXPECT_THAT fails.
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_EQ(reported[0], std::string("Failed\n") + kLeefFailure);
  for (int i : {1, 2}) {
    EXPECT_THAT(reported[i], ::testing::StartsWith("Value of: sample()"));
    EXPECT_THAT(reported[i], ::testing::HasSubstr("no function named work::leef"));
  }

  ::testing::TestPartResultArray results;
  int line = 0;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    line = __LINE__ + 1;
    bool matched = ::testing::Value(sample(), tally::Calls("work::leef", 0));
    EXPECT_FALSE(matched);
  }
  ASSERT_EQ(results.size(), 1);
  EXPECT_EQ(results.GetTestPartResult(0).message(), std::string("Failed\n") + kLeefFailure);
  EXPECT_EQ(results.GetTestPartResult(0).line_number(), line);
  EXPECT_THAT(results.GetTestPartResult(0).file_name(), ::testing::EndsWith("matchers_test.cpp"));
}

TEST(Calls, SaysNothingMoreForAKnownFunctionThatDidNotRun) {
  EXPECT_EQ(explain(tally::Calls("work::leaf", 1), tally::Profile()),
            "which calls work::leaf 0 times");
}

// The sample, with the call sites of work::leaf that callers counts: 4
// calls from work::branch at two places, 2 from elsewhere.
tally::Profile with_sites() {
  auto site = [](std::uint32_t line, std::uint32_t column, std::uint64_t count) {
    tally::CallSite s;
    s.callee = "work::leaf(int)";
    s.callee_name = "work::leaf";
    s.caller = "work::branch(int)";
    s.caller_name = "work::branch";
    s.file = "/src/workload.cpp";
    s.line = line;
    s.column = column;
    s.count = count;
    return s;
  };
  tally::Profile base = sample();
  std::vector<tally::Entry> entries(base.begin(), base.end());
  return tally::Profile(entries, {site(10, 12, 3), site(11, 5, 1)});
}

TEST(Calls, ExplainsWithTheCallSitesOfTheFunctionsItNames) {
  EXPECT_EQ(explain(tally::Calls("work::leaf", 4), with_sites()),
            "which calls work::leaf 6 times:\n"
            "  count  function         location\n"
            ">     6  work::leaf(int)  /src/workload.cpp:7\n"
            "count  called from        at\n"
            "    3  work::branch(int)  /src/workload.cpp:10:12\n"
            "    1  work::branch(int)  /src/workload.cpp:11:5\n"
            "    2  (elsewhere)\n");
}

TEST(CallsFrom, CountsTheCallsFromACaller) {
  tally::Profile p = with_sites();
  EXPECT_THAT(p, tally::Calls("work::leaf", 4).From("work::branch"));
  EXPECT_THAT(p, tally::Calls("work::leaf", Le(4)).From("work::branch(int)"));
  EXPECT_THAT(p, Not(tally::Calls("work::leaf", 6).From("work::branch")));
  EXPECT_THAT(p, tally::Calls("work::leaf", 0).From("work::thrower"));
  EXPECT_THAT(p, AllOf(tally::Calls("work::leaf", 6), tally::Calls("work::leaf", 4).From("work::branch")));
  EXPECT_EQ(describe(tally::Calls("work::leaf", Le(2)).From("work::branch")),
            "calls work::leaf from work::branch a number of times that is <= 2");
  EXPECT_EQ(describe_negation(tally::Calls("work::leaf", 2).From("work::branch")),
            "calls work::leaf from work::branch a number of times that isn't equal to 2");
  EXPECT_EQ(explain(tally::Calls("work::leaf", Le(2)).From("work::branch"), p),
            "which calls work::leaf from work::branch 4 times, of all its calls:\n"
            "count  called from        at\n"
            "    3  work::branch(int)  /src/workload.cpp:10:12\n"
            "    1  work::branch(int)  /src/workload.cpp:11:5\n"
            "    2  (elsewhere)\n");
}

TEST(CallsFrom, FailsForACallerThatNamesNoFunction) {
  std::string explanation;
  EXPECT_NONFATAL_FAILURE(
      explanation = explain(tally::Calls("work::leaf", 1).From("work::brunch"), with_sites()),
      "tally: Calls(\"work::leaf\").From(\"work::brunch\") asks about a function that doesn't "
      "exist: no function named work::brunch; did you mean work::branch");
  EXPECT_EQ(explanation,
            "which calls work::leaf from work::brunch 0 times; no function named work::brunch; "
            "did you mean work::branch, work::leaf or work::thrower?");
}

TEST(NotCalled, MatchesAndDescribes) {
  EXPECT_THAT(tally::Profile(), tally::NotCalled("work::branch"));
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

TEST(CallsOnly, FailsForAQueryThatNamesNoFunction) {
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(tally::Profile(), Not(tally::CallsOnly({"work::leaf", "work::brnch"}))),
      "tally: CallsOnly({\"work::leaf\", \"work::brnch\"}) asks about a function that "
      "doesn't exist: no function named work::brnch; did you mean work::branch, work::leaf "
      "or work::thrower?");
  std::string explanation;
  EXPECT_NONFATAL_FAILURE(
      explanation = explain(tally::CallsOnly({"work::leaf", "work::brnch"}), sample()),
      "work::brnch");
  EXPECT_EQ(explanation,
            "which is asked about a function that doesn't exist; no function named "
            "work::brnch; did you mean work::branch, work::leaf or work::thrower?");
}

TEST(TotalCalls, CountsEveryCall) {
  EXPECT_THAT(sample(), tally::TotalCalls(9));
  EXPECT_THAT(sample(), tally::TotalCalls(Le(10)));
  EXPECT_EQ(describe(tally::TotalCalls(9)), "makes a total number of calls that is equal to 9");
  EXPECT_EQ(explain(tally::TotalCalls(1), sample()), "which makes 9 calls");
}

TEST(Matchers, EveryOneComposesWithNotAllOfAndAnyOf) {
  tally::Profile p({entry("work::leaf(int)", 10, 6, "/src/workload.cpp", 7),
                    entry("work::branch(int)", 12, 2, "/src/workload.cpp", 9)});
  const Matcher<const tally::Profile&> holds[] = {
      tally::Calls("work::leaf", 6),       tally::Calls("work::leaf", Ge(6)),
      tally::NotCalled("work::thrower"),   tally::CallsMatching("^work::", 8),
      tally::NoCallsMatching("^db::"),     tally::CallsOnly({"work::leaf", "work::branch"}),
      tally::TotalCalls(Le(8))};
  const Matcher<const tally::Profile&> fails[] = {
      tally::Calls("work::leaf", 5),       tally::Calls("work::leaf", Le(5)),
      tally::NotCalled("work::leaf"),      tally::CallsMatching("^work::", 7),
      tally::NoCallsMatching("^work::"),   tally::CallsOnly({"work::leaf"}),
      tally::TotalCalls(Ge(9))};
  for (const auto& m : holds) {
    EXPECT_THAT(p, m);
    EXPECT_THAT(p, Not(Not(m)));
    for (const auto& f : fails) {
      EXPECT_THAT(p, Not(f));
      EXPECT_THAT(p, AllOf(m, Not(f)));
      EXPECT_THAT(p, Not(AllOf(m, f)));
      EXPECT_THAT(p, AnyOf(f, m));
      EXPECT_THAT(p, Not(AnyOf(f, Not(m))));
    }
  }
  EXPECT_EQ(describe(AllOf(tally::Calls("work::leaf", Le(6)), tally::NotCalled("work::thrower"))),
            "(calls work::leaf a number of times that is <= 6) and (doesn't call work::thrower)");
  EXPECT_EQ(describe(AnyOf(tally::TotalCalls(0), Not(tally::CallsOnly({"work::leaf"})))),
            "(makes a total number of calls that is equal to 0) or (calls some function other "
            "than work::leaf)");
}

TEST(Matchers, WorkOnRealProfiles) {
  tally::Profile p = tally::profile([] { work::branch(3); });
  EXPECT_THAT(p, tally::Calls("work::leaf", 3));
  EXPECT_THAT(p, tally::CallsOnly({"work::leaf", "work::branch"}));
  EXPECT_THAT(p, tally::NotCalled("work::thrower"));
}

}  // namespace
