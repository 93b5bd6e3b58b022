// tally::profile() over instrumented code: nesting, exceptions, threads.
// This file is not instrumented; workload.cpp is.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <optional>
#include <thread>
#include <utility>

#include "tally/gtest.hpp"
#include "tally/tally.hpp"
#include "workload.hpp"

namespace {

TEST(Profile, SeesInstrumentedCode) {
  EXPECT_TRUE(tally::instrumented());
}

TEST(Profile, CountsOnlyCallsMadeWhileItRuns) {
  work::branch(10);
  tally::Profile p = tally::profile([] { work::branch(3); });
  EXPECT_EQ(p.count("work::branch"), 1u);
  EXPECT_EQ(p.count("work::leaf"), 3u);
  EXPECT_EQ(p.total(), 4u);
  EXPECT_EQ(p.size(), 2u);
}

TEST(Profile, Nests) {
  tally::Profile inner;
  tally::Profile outer = tally::profile([&] {
    work::branch(2);
    inner = tally::profile([] { work::branch(5); });
    work::leaf(0);
  });
  EXPECT_EQ(inner.count("work::leaf"), 5u);
  EXPECT_EQ(inner.count("work::branch"), 1u);
  EXPECT_EQ(outer.count("work::leaf"), 8u);
  EXPECT_EQ(outer.count("work::branch"), 2u);
}

TEST(Profile, PropagatesExceptions) {
  tally::Profile outer = tally::profile([] {
    EXPECT_THROW((void)tally::profile([] { work::thrower(1); }), std::runtime_error);
  });
  EXPECT_EQ(outer.count("work::thrower"), 1u);
  EXPECT_EQ(outer.count("work::leaf"), 1u);
}

TEST(Profile, CountsCallsOfOtherThreads) {
  tally::Profile p = tally::profile([] {
    std::thread a([] { work::branch(1000); });
    std::thread b([] { work::branch(2000); });
    a.join();
    b.join();
  });
  EXPECT_EQ(p.count("work::leaf"), 3000u);
  EXPECT_EQ(p.count("work::branch"), 2u);
}

TEST(Profile, IsExactWhileThreadsKeepCalling) {
  std::atomic<bool> stop{false};
  std::thread busy([&] {
    while (!stop.load()) work::leaf(0);
  });
  tally::Profile p = tally::profile([] { work::branch(100); });
  stop = true;
  busy.join();
  EXPECT_EQ(p.count("work::branch"), 1u);
  EXPECT_GE(p.count("work::leaf"), 100u);  // plus whatever the busy thread ran
}

TEST(Profiler, CountsFromWhenItIsMadeEachTimeItIsRead) {
  work::branch(10);
  tally::Profiler profiler;
  work::branch(3);
  tally::Profile first = profiler.calls();
  work::leaf(0);
  tally::Profile second = profiler.calls();
  EXPECT_EQ(first.count("work::branch"), 1u);
  EXPECT_EQ(first.count("work::leaf"), 3u);
  EXPECT_EQ(second.count("work::branch"), 1u);
  EXPECT_EQ(second.count("work::leaf"), 4u);
}

TEST(Profiler, MovesWithItsStartAndLeavesNothingBehind) {
  tally::Profiler started;
  work::branch(2);
  tally::Profiler moved = std::move(started);
  work::leaf(0);
  EXPECT_EQ(moved.calls().count("work::leaf"), 3u);
  EXPECT_TRUE(started.calls().empty());  // NOLINT(bugprone-use-after-move): documented
  tally::Profiler later;
  work::leaf(0);
  moved = std::move(later);
  EXPECT_EQ(moved.calls().count("work::leaf"), 1u);
}

// As docs/matchers.md shows it: a profile from SetUp() to TearDown().
class ProfiledFixture : public ::testing::Test {
 protected:
  void SetUp() override { profiler_.emplace(); }
  void TearDown() override {
    EXPECT_THAT(profiler_->calls(), tally::Calls("work::leaf", 6u));
    EXPECT_THAT(profiler_->calls(), tally::Calls("work::branch", ::testing::Le(2u)));
  }
  std::optional<tally::Profiler> profiler_;
};

TEST_F(ProfiledFixture, CountsFromSetUpToTearDown) {
  work::branch(2);
  work::branch(4);
}

TEST(Profile, PrintsAsATableInGoogleTestMessages) {
  tally::Profile p = tally::profile([] { work::branch(2); });
  std::string printed = testing::PrintToString(p);
  EXPECT_NE(printed.find("\ncount  function"), std::string::npos) << printed;
  EXPECT_NE(printed.find("    2  work::leaf(int)"), std::string::npos) << printed;
  EXPECT_NE(printed.find("workload.cpp:7"), std::string::npos) << printed;
}

}  // namespace
