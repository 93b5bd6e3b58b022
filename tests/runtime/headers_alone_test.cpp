// A test program that includes <tally/matchers.hpp> and
// <tally/snapshots.hpp> alone, without <tally/gtest.hpp> and its report
// listener: a Profile prints as the same table, and every test numbers its
// unnamed snapshots from 1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>  // setenv, unsetenv, mkdtemp

#include <filesystem>  // std::filesystem
#include <string>      // std::string

#include "entries.hpp"
#include "tally/matchers.hpp"
#include "tally/snapshots.hpp"

namespace {

namespace fs = std::filesystem;

tally::Profile sample() {
  return tally::Profile({entry("work::leaf(int)", 10, 6, "/src/workload.cpp", 7)});
}

TEST(HeadersAlone, PrintAProfileAsTheTable) {
  EXPECT_EQ(::testing::PrintToString(sample()),
            "\n"
            "count  function         location\n"
            "    6  work::leaf(int)  /src/workload.cpp:7\n");
}

// The snapshots of both tests below go to one directory.
fs::path snapshot_dir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "tally-headers-alone-XXXXXX").string();
    return fs::path(mkdtemp(pattern.data()));
  }();
  return dir;
}

void write_snapshots_here() {
  setenv("TALLY_SNAPSHOT_DIR", snapshot_dir().c_str(), 1);
  setenv("TALLY_UPDATE_SNAPSHOTS", "1", 1);
  unsetenv("CI");
}

TEST(HeadersAlone, FirstTestWithTwoSnapshots) {
  write_snapshots_here();
  EXPECT_THAT(sample(), tally::MatchesSnapshot());
  EXPECT_THAT(sample(), tally::MatchesSnapshot());
  EXPECT_TRUE(fs::exists(snapshot_dir() / "HeadersAlone.FirstTestWithTwoSnapshots.json"));
  EXPECT_TRUE(fs::exists(snapshot_dir() / "HeadersAlone.FirstTestWithTwoSnapshots.2.json"));
}

TEST(HeadersAlone, SecondTestStartsFromOne) {
  write_snapshots_here();
  EXPECT_THAT(sample(), tally::MatchesSnapshot());
  EXPECT_TRUE(fs::exists(snapshot_dir() / "HeadersAlone.SecondTestStartsFromOne.json"));
  EXPECT_FALSE(fs::exists(snapshot_dir() / "HeadersAlone.SecondTestStartsFromOne.3.json"));
  fs::remove_all(snapshot_dir());
}

}  // namespace
