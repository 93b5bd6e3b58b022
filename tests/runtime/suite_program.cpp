// A test program that listener_test.cpp runs: a suite with passing, failing,
// skipped and empty tests for the report, a death test, and a test with snapshots whose
// calls depend on WORK_N.  workload.cpp is instrumented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "tally/gtest.hpp"
#include "workload.hpp"

namespace {

TEST(Suite, Passes) { work::branch(3); }

TEST(Suite, Fails) {
  work::leaf(1);
  ADD_FAILURE() << "fails on purpose";
}

TEST(Suite, IsSkipped) {
  work::leaf(2);
  GTEST_SKIP() << "skipped on purpose";
  work::leaf(3);
}

TEST(Suite, CallsNothing) {}

// The threadsafe style runs the statement in a new process of this program.
TEST(Deaths, ExitInAChild) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        work::leaf(7);
        std::_Exit(3);
      },
      ::testing::ExitedWithCode(3), "");
}

TEST(Snapshots, OfTheWorkload) {
  const char* n = std::getenv("WORK_N");
  tally::Profile calls = tally::profile([&] { work::branch(n ? std::atoi(n) : 3); });
  EXPECT_THAT(calls, tally::MatchesSnapshot());
  EXPECT_THAT(calls, tally::AtMostSnapshot("budget"));
}

}  // namespace
