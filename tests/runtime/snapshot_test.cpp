// Snapshots: create, match, mismatch, update, budgets and the CI refusal, by
// the exact text of what they say; and the files the matchers choose.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>  // getpid

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "entries.hpp"
#include "tally/gtest.hpp"
#include "tally/report.hpp"

namespace {

namespace fs = std::filesystem;

const char* const kUpdate = "TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T";

class Snapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("tally_snapshot_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    path_ = (dir_ / "__tally__" / "S.T.json").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  tally::SnapshotResult check(const tally::Profile& p, bool update = false, bool ci = false,
                              tally::SnapshotRule rule = tally::SnapshotRule::same) {
    tally::SnapshotRequest request;
    request.path = path_;
    request.rule = rule;
    request.update = update;
    request.ci = ci;
    request.update_command = kUpdate;
    return tally::check_snapshot(p, request);
  }
  tally::SnapshotResult budget(const tally::Profile& p) {
    return check(p, false, false, tally::SnapshotRule::at_most);
  }
  std::string file() const {
    std::ifstream in(path_);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  void write(const std::string& text) const {
    fs::create_directories(fs::path(path_).parent_path());
    std::ofstream(path_) << text;
  }

  fs::path dir_;
  std::string path_;
};

tally::Profile calls(std::uint64_t get, std::uint64_t download, std::uint64_t retry = 0) {
  std::vector<tally::Entry> entries = {
      entry("example::http::get(const std::string &)", 18, get, "/src/http.cpp", 5),
      entry("example::download(int)", 17, download, "/src/downloader.cpp", 7)};
  if (retry) entries.push_back(entry("example::http::retry()", 19, retry, "/src/http.cpp", 9));
  std::vector<tally::Entry> ran;
  for (const tally::Entry& e : entries)
    if (e.count) ran.push_back(e);
  return tally::Profile(ran);
}

TEST_F(Snapshot, AMissingOneFailsWithTheCommandThatCreatesIt) {
  tally::SnapshotResult r = check(calls(4, 1));
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.wrote);
  EXPECT_EQ(r.explanation, "which has no snapshot: " + path_ +
                               " does not exist; create it with\n"
                               "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T");
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(Snapshot, IsCreatedOnRequestWithSignaturesAndCountsOnly) {
  tally::SnapshotResult r = check(calls(4, 1), /*update=*/true);
  EXPECT_TRUE(r.passed);
  EXPECT_TRUE(r.wrote);
  EXPECT_EQ(r.explanation, "which is now the snapshot " + path_);
  EXPECT_EQ(file(),
            "{\n"
            "  \"format\": \"tally-profile\",\n"
            "  \"version\": 1,\n"
            "  \"total\": 5,\n"
            "  \"functions\": [\n"
            "    {\n"
            "      \"count\": 1,\n"
            "      \"signature\": \"example::download(int)\",\n"
            "      \"name\": \"example::download\"\n"
            "    },\n"
            "    {\n"
            "      \"count\": 4,\n"
            "      \"signature\": \"example::http::get(const std::string &)\",\n"
            "      \"name\": \"example::http::get\"\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST_F(Snapshot, MatchesTheSameCounts) {
  check(calls(4, 1), true);
  tally::SnapshotResult r = check(calls(4, 1));
  EXPECT_TRUE(r.passed);
  EXPECT_FALSE(r.wrote);
  EXPECT_EQ(r.explanation, "which matches the snapshot " + path_);
  // Locations are not compared: code may move.
  tally::Profile moved({entry("example::http::get(const std::string &)", 18, 4, "/b.cpp", 50),
                        entry("example::download(int)", 17, 1, "/c.cpp", 70)});
  EXPECT_TRUE(check(moved).passed);
}

TEST_F(Snapshot, AMismatchPrintsEveryChangedFunction) {
  check(calls(4, 1), true);
  tally::SnapshotResult r = check(calls(6, 0, 1));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.explanation, "which differs from the snapshot " + path_ +
                               " in 3 functions:\n"
                               "+ example::http::get(const std::string &)  4 -> 6\n"
                               "+ example::http::retry()                   0 -> 1\n"
                               "- example::download(int)                   1 -> 0\n"
                               "to accept these counts, run\n"
                               "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T");
}

TEST_F(Snapshot, AnUpdateRewritesItAndSaysWhatChanged) {
  check(calls(4, 1), true);
  tally::SnapshotResult r = check(calls(3, 1), true);
  EXPECT_TRUE(r.passed);
  EXPECT_TRUE(r.wrote);
  EXPECT_EQ(r.explanation, "which updated the snapshot " + path_ +
                               " in 1 function:\n"
                               "- example::http::get(const std::string &)  4 -> 3\n");
  EXPECT_TRUE(check(calls(3, 1)).passed);
  EXPECT_FALSE(check(calls(4, 1)).passed);
  // Nothing to change: the file is left alone.
  EXPECT_FALSE(check(calls(3, 1), true).wrote);
}

TEST_F(Snapshot, CiNeverWritesSoAMissingOneFails) {
  tally::SnapshotResult r = check(calls(4, 1), /*update=*/false, /*ci=*/true);
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.explanation,
            "which has no snapshot: " + path_ +
                " does not exist, and snapshots are never written when CI is set; create it on "
                "your machine with\n"
                "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T\n"
                "and commit it");
  r = check(calls(4, 1), /*update=*/true, /*ci=*/true);
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.wrote);
  EXPECT_EQ(r.explanation,
            "which has no snapshot: " + path_ +
                " does not exist, and snapshots are never written when CI is set; create it on "
                "your machine with\n"
                "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T\n"
                "and commit it\n"
                "(TALLY_UPDATE_SNAPSHOTS is ignored: snapshots are never written when CI is set)");
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(Snapshot, CiComparesWithoutUpdating) {
  check(calls(4, 1), true);
  EXPECT_TRUE(check(calls(4, 1), true, true).passed);
  tally::SnapshotResult r = check(calls(5, 1), true, true);
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.wrote);
  EXPECT_EQ(r.explanation,
            "which differs from the snapshot " + path_ +
                " in 1 function:\n"
                "+ example::http::get(const std::string &)  4 -> 5\n"
                "to accept these counts, run\n"
                "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T\n"
                "(TALLY_UPDATE_SNAPSHOTS is ignored: snapshots are never written when CI is set)");
}

TEST_F(Snapshot, ABudgetLetsCountsFall) {
  check(calls(4, 1), true);
  tally::SnapshotResult r = budget(calls(4, 1));
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.explanation, "which stays within the budget of " + path_);
  r = budget(calls(2, 0));
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.explanation, "which stays within the budget of " + path_ +
                               "; 2 functions ran fewer times:\n"
                               "- example::http::get(const std::string &)  4 -> 2\n"
                               "- example::download(int)                   1 -> 0\n"
                               "to lower the budget, run\n"
                               "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T");
}

TEST_F(Snapshot, ABudgetFailsOnAnyRise) {
  check(calls(4, 1), true);
  tally::SnapshotResult r = budget(calls(3, 1, 1));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.explanation, "which exceeds the budget of " + path_ +
                               " in 1 function:\n"
                               "+ example::http::retry()                   0 -> 1\n"
                               "- example::http::get(const std::string &)  4 -> 3\n"
                               "if the rise is intended, run\n"
                               "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T");
  EXPECT_FALSE(budget(calls(5, 1)).passed);
}

TEST_F(Snapshot, AFileThatIsNotASnapshotFails) {
  write("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": [{\"count\": 1}]}");
  tally::SnapshotResult r = check(calls(4, 1));
  EXPECT_FALSE(r.passed);
  EXPECT_EQ(r.explanation, "whose snapshot " + path_ +
                               " is not a tally snapshot: functions[0]: \"signature\" is "
                               "missing; write it anew with\n"
                               "  TALLY_UPDATE_SNAPSHOTS=1 ./t --gtest_filter=S.T");
  r = check(calls(4, 1), true);
  EXPECT_TRUE(r.passed);
  EXPECT_EQ(r.explanation, "which is now the snapshot " + path_ + " (rewritten)");
}

TEST_F(Snapshot, AnEmptyProfileIsASnapshotToo) {
  check(tally::Profile(), true);
  EXPECT_TRUE(check(tally::Profile()).passed);
  EXPECT_FALSE(check(calls(1, 0)).passed);
}

TEST_F(Snapshot, SaysWhenItCannotRead) {
  // __tally__ is a file here, so no snapshot can be read or written below it.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "__tally__") << "a file";
  for (bool update : {false, true}) {
    tally::SnapshotResult r = check(calls(4, 1), update);
    EXPECT_FALSE(r.passed);
    EXPECT_FALSE(r.wrote);
    EXPECT_EQ(r.explanation,
              "whose snapshot cannot be read: cannot read " + path_ + ": Not a directory");
  }
}

TEST_F(Snapshot, SaysWhenItCannotWrite) {
  // No directory can be made in /proc, even by root.
  path_ = "/proc/tally-snapshot-test/S.T.json";
  tally::SnapshotResult r = check(calls(4, 1), true);
  EXPECT_FALSE(r.passed);
  EXPECT_FALSE(r.wrote);
  EXPECT_EQ(r.explanation,
            "whose snapshot was not written: cannot write " + path_ + ": No such file or directory");
}

// The matchers: which file each one uses, and how they describe themselves.
std::string describe(const ::testing::Matcher<const tally::Profile&>& m, bool negation = false) {
  return ::testing::DescribeMatcher<const tally::Profile&>(m, negation);
}

std::string source_dir() {
  std::string file = __FILE__;
  return file.substr(0, file.rfind('/'));
}

TEST(SnapshotMatcher, NamesItsFileAfterTheTest) {
  unsetenv("TALLY_SNAPSHOT_DIR");
  std::string dir = source_dir() + "/__tally__/";
  EXPECT_EQ(describe(tally::MatchesSnapshot()),
            "makes the calls of the snapshot " + dir + "SnapshotMatcher.NamesItsFileAfterTheTest.json");
  EXPECT_EQ(describe(tally::MatchesSnapshot()),
            "makes the calls of the snapshot " + dir +
                "SnapshotMatcher.NamesItsFileAfterTheTest.2.json");
  EXPECT_EQ(describe(tally::AtMostSnapshot("after login")),
            "calls no function more often than the snapshot " + dir +
                "SnapshotMatcher.NamesItsFileAfterTheTest.after_login.json");
  EXPECT_EQ(describe(tally::AtMostSnapshot(), true),
            "calls some function more often than the snapshot " + dir +
                "SnapshotMatcher.NamesItsFileAfterTheTest.3.json");
  EXPECT_EQ(describe(tally::MatchesSnapshot(), true),
            "makes calls other than those of the snapshot " + dir +
                "SnapshotMatcher.NamesItsFileAfterTheTest.4.json");
}

TEST(SnapshotMatcher, CountsUnnamedSnapshotsPerTest) {
  unsetenv("TALLY_SNAPSHOT_DIR");
  EXPECT_EQ(describe(tally::MatchesSnapshot()),
            "makes the calls of the snapshot " + source_dir() +
                "/__tally__/SnapshotMatcher.CountsUnnamedSnapshotsPerTest.json");
}

TEST(SnapshotMatcher, TakesItsDirectoryFromTheEnvironment) {
  setenv("TALLY_SNAPSHOT_DIR", "/tmp/snapshots", 1);
  EXPECT_EQ(describe(tally::MatchesSnapshot()),
            "makes the calls of the snapshot "
            "/tmp/snapshots/SnapshotMatcher.TakesItsDirectoryFromTheEnvironment.json");
  unsetenv("TALLY_SNAPSHOT_DIR");
}

class Parameterised : public ::testing::TestWithParam<int> {};
TEST_P(Parameterised, KeepsFileNamesPlain) {
  setenv("TALLY_SNAPSHOT_DIR", "/s", 1);
  EXPECT_EQ(describe(tally::MatchesSnapshot()),
            "makes the calls of the snapshot /s/Sizes_Parameterised.KeepsFileNamesPlain_" +
                std::to_string(GetParam()) + ".json");
  unsetenv("TALLY_SNAPSHOT_DIR");
}
INSTANTIATE_TEST_SUITE_P(Sizes, Parameterised, ::testing::Values(0, 1));

// Sets or unsets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_.empty() ? unsetenv(name_) : setenv(name_, old_.c_str(), 1); }

 private:
  const char* name_;
  std::string old_;
};

TEST(SnapshotMatcher, ComposesWithNotAllOfAndAnyOf) {
  ScopedEnv not_ci("CI", nullptr);  // this test writes a snapshot, even in CI
  std::string dir = ::testing::TempDir() + "tally_snapshot_compose_" + std::to_string(getpid());
  setenv("TALLY_SNAPSHOT_DIR", dir.c_str(), 1);
  setenv("TALLY_UPDATE_SNAPSHOTS", "1", 1);
  EXPECT_THAT(calls(4, 1), tally::MatchesSnapshot("budget"));
  unsetenv("TALLY_UPDATE_SNAPSHOTS");
  EXPECT_THAT(calls(4, 1), ::testing::AllOf(tally::MatchesSnapshot("budget"),
                                            tally::AtMostSnapshot("budget")));
  EXPECT_THAT(calls(3, 1), ::testing::AllOf(::testing::Not(tally::MatchesSnapshot("budget")),
                                            tally::AtMostSnapshot("budget")));
  EXPECT_THAT(calls(5, 1), ::testing::Not(tally::AtMostSnapshot("budget")));
  EXPECT_THAT(calls(5, 1), ::testing::AnyOf(tally::AtMostSnapshot("budget"),
                                            tally::Calls("example::http::get", 5)));
  EXPECT_THAT(calls(4, 1), ::testing::Not(tally::MatchesSnapshot("missing")));
  unsetenv("TALLY_SNAPSHOT_DIR");
  fs::remove_all(dir);
}

// Made before main(), where no test runs.
const ::testing::Matcher<const tally::Profile&> g_outside_a_test = tally::MatchesSnapshot();

TEST(SnapshotMatcher, MadeOutsideATestFails) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(g_outside_a_test.MatchAndExplain(tally::Profile(), &listener));
  EXPECT_EQ(listener.str(),
            "which has no snapshot file: a snapshot matcher names its file after the running "
            "test, and it was made outside a test");
  EXPECT_EQ(describe(g_outside_a_test), "makes the calls of the snapshot (none)");
}

}  // namespace
