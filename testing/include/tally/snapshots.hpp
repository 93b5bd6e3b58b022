// Call-count snapshots: a test's profile kept in a file beside the test.
//
//   EXPECT_THAT(calls, tally::MatchesSnapshot());  // same functions, same counts
//   EXPECT_THAT(calls, tally::AtMostSnapshot());   // no count above the file's
//
// The file is <test source dir>/__tally__/<Suite>.<Test>.json.  Run the
// test with TALLY_UPDATE_SNAPSHOTS=1 to create or update it; when CI is set
// (CI=true) snapshots are never written, so a missing one fails.
#ifndef TALLY_SNAPSHOTS_HPP_
#define TALLY_SNAPSHOTS_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <gmock/gmock.h>  // testing::MatcherInterface
#include <gtest/gtest.h>  // testing::UnitTest, testing::internal::GetArgvs

#include <cstdlib>  // std::getenv
#include <cstring>  // std::strcmp
#include <iostream>  // std::cerr
#include <ostream>  // std::ostream
#include <string>   // std::string
#include <utility>  // std::move
#include <vector>   // std::vector

#include "tally/detail/listeners.h"
#include "tally/report.hpp"
#include "tally/tally.hpp"

namespace tally {
namespace internal {

// True when the variable is set to something other than "", "0" or "false".
inline bool env_flag(const char* name) {
  const char* value = std::getenv(name);
  return value && *value && std::strcmp(value, "0") != 0 && std::strcmp(value, "false") != 0;
}

// `text` as part of a file name: letters, digits, '_', '-' and '.' stay.
inline std::string file_name_part(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.';
    if (!keep) c = '_';
  }
  return out;
}

inline std::string parent_directory(const std::string& file) {
  std::string::size_type slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : file.substr(0, slash);
}

class SnapshotMatcher : public ::testing::MatcherInterface<const Profile&> {
 public:
  SnapshotMatcher(SnapshotRule rule, const std::string& name) {
    request_.rule = rule;
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    if (!test) {
      error_ = "which has no snapshot file: a snapshot matcher names its file after the "
               "running test, and it was made outside a test";
      return;
    }
    std::string file = file_name_part(test->test_suite_name()) + "." +
                       file_name_part(test->name());
    if (!name.empty()) {
      file += "." + file_name_part(name);
    } else if (int n = ++detail::unnamed_snapshots(); n > 1) {
      file += "." + std::to_string(n);
    }
    const char* dir = std::getenv("TALLY_SNAPSHOT_DIR");
    request_.path = (dir && *dir ? std::string(dir) : parent_directory(test->file()) + "/__tally__") +
                    "/" + file + ".json";
    request_.update = env_flag("TALLY_UPDATE_SNAPSHOTS");
    request_.ci = env_flag("CI");
    std::vector<std::string> argv = ::testing::internal::GetArgvs();
    request_.update_command = "TALLY_UPDATE_SNAPSHOTS=1 " +
                              (argv.empty() ? std::string("<test program>") : argv[0]) +
                              " --gtest_filter=" + test->test_suite_name() + "." + test->name();
  }

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    if (!error_.empty()) {
      *listener << error_;
      return false;
    }
    SnapshotResult result = check_snapshot(profile, request_);
    if (result.wrote) std::cerr << "tally: wrote the snapshot " << request_.path << '\n';
    *listener << result.explanation;
    return result.passed;
  }
  void DescribeTo(std::ostream* os) const override {
    if (request_.rule == SnapshotRule::same)
      *os << "makes the calls of the snapshot " << path();
    else
      *os << "calls no function more often than the snapshot " << path();
  }
  void DescribeNegationTo(std::ostream* os) const override {
    if (request_.rule == SnapshotRule::same)
      *os << "makes calls other than those of the snapshot " << path();
    else
      *os << "calls some function more often than the snapshot " << path();
  }

 private:
  std::string path() const { return request_.path.empty() ? "(none)" : request_.path; }

  SnapshotRequest request_;
  std::string error_;
};

// Numbers the unnamed snapshots of each test from 1: whatever else the
// program includes, every test starts with none.
class SnapshotNumbering : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo&) override { detail::unnamed_snapshots() = 0; }
};

// Appended to GoogleTest's listeners once per program, before main().
inline const bool snapshot_numbering_installed = [] {
  if (detail::first_snapshot_listener())
    ::testing::UnitTest::GetInstance()->listeners().Append(new SnapshotNumbering);
  return true;
}();

}  // namespace internal

// The profile has exactly the functions and counts of the test's snapshot
// file: __tally__/<Suite>.<Test>.json beside the test source (the second
// unnamed snapshot of a test is <Suite>.<Test>.2.json; a named one
// <Suite>.<Test>.<name>.json).  TALLY_SNAPSHOT_DIR replaces the __tally__
// directory.  Locations are not kept: moving code changes no snapshot.
inline ::testing::Matcher<const Profile&> MatchesSnapshot(const std::string& name = "") {
  return ::testing::MakeMatcher(new internal::SnapshotMatcher(SnapshotRule::same, name));
}

// No function ran more often than the snapshot file says, and none ran that
// it does not list: a call budget that counts may fall below.
inline ::testing::Matcher<const Profile&> AtMostSnapshot(const std::string& name = "") {
  return ::testing::MakeMatcher(new internal::SnapshotMatcher(SnapshotRule::at_most, name));
}

}  // namespace tally

#endif  // TALLY_SNAPSHOTS_HPP_
