// Runs suite_program as GoogleTest users do and checks what it leaves: the
// TALLY_REPORT file of a suite with passing, failing and skipped tests, and
// snapshot files through create, match, mismatch, update and CI.
#include <gtest/gtest.h>
#include <sys/wait.h>  // WIFEXITED
#include <unistd.h>    // getpid

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tally/report.hpp"

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status;  // exit status, or -1 when killed
  std::string output;  // stdout and stderr
};

// Runs the suite program with `env` added to an environment without any of
// tally's variables, or CI.
Outcome run(const std::string& env, const std::string& args) {
  std::string command =
      "env -u CI -u TALLY_UPDATE_SNAPSHOTS -u TALLY_REPORT -u TALLY_SNAPSHOT_DIR -u WORK_N " +
      env + " " + SUITE_PROGRAM + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  Outcome result{-1, ""};
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    result.output.append(buffer, n);
  int status = pclose(pipe);
  if (WIFEXITED(status)) result.status = WEXITSTATUS(status);
  return result;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class Listener : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("tally_listener_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// The report of Suite.*: every test, its result and exactly its calls.
void expect_suite_report(const fs::path& path) {
  std::string text = read(path);
  ASSERT_NO_THROW((void)nlohmann::json::parse(text)) << text;
  tally::Report report = tally::report_from_json(text);
  EXPECT_TRUE(report.complete);
  ASSERT_EQ(report.tests.size(), 4u);
  const char* names[] = {"Passes", "Fails", "IsSkipped", "CallsNothing"};
  const char* results[] = {"passed", "failed", "skipped", "passed"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(report.tests[i].suite, "Suite");
    EXPECT_EQ(report.tests[i].name, names[i]);
    EXPECT_EQ(report.tests[i].result, results[i]);
    EXPECT_TRUE(contains(report.tests[i].file, "suite_program.cpp")) << report.tests[i].file;
  }
  EXPECT_EQ(report.tests[0].line, 14u);
  const tally::Profile& passes = report.tests[0].profile;
  EXPECT_EQ(passes.size(), 2u);
  EXPECT_EQ(passes.count("work::branch(int)"), 1u);
  EXPECT_EQ(passes.count("work::leaf(int)"), 3u);
  EXPECT_EQ(report.tests[1].profile.count("work::leaf"), 1u);
  EXPECT_EQ(report.tests[1].profile.size(), 1u);
  // A skipped test's calls up to the skip.
  EXPECT_EQ(report.tests[2].profile.count("work::leaf"), 1u);
  EXPECT_EQ(report.tests[2].profile.total(), 1u);
  EXPECT_TRUE(report.tests[3].profile.empty());
  // Every instrumented function, with its calls over the run.
  ASSERT_EQ(report.functions.size(), 3u);
  EXPECT_EQ(report.functions[0].signature, "work::branch(int)");
  EXPECT_EQ(report.functions[0].count, 1u);
  EXPECT_EQ(report.functions[1].signature, "work::leaf(int)");
  EXPECT_EQ(report.functions[1].count, 5u);
  EXPECT_EQ(report.functions[2].signature, "work::thrower(int)");
  EXPECT_EQ(report.functions[2].count, 0u);
  EXPECT_EQ(report.functions[2].line, 15u);
}

TEST_F(Listener, WritesTheReportNamedByTheEnvironment) {
  fs::path report = dir_ / "report.json";
  Outcome r = run("TALLY_REPORT=" + report.string(), "--gtest_filter=Suite.*");
  EXPECT_EQ(r.status, 1) << r.output;  // Suite.Fails fails
  EXPECT_TRUE(contains(r.output, "[  FAILED  ] Suite.Fails")) << r.output;
  expect_suite_report(report);
}

TEST_F(Listener, WritesTheReportNamedOnTheCommandLine) {
  fs::path report = dir_ / "flag.json";
  fs::path ignored = dir_ / "env.json";
  Outcome r = run("TALLY_REPORT=" + ignored.string(),
              "--gtest_filter=Suite.* --tally_report=" + report.string());
  EXPECT_EQ(r.status, 1) << r.output;
  expect_suite_report(report);
  EXPECT_FALSE(fs::exists(ignored));
}

TEST_F(Listener, PutsTheProcessIdInThePath) {
  // The death test's child process writes no report of its own.
  Outcome r = run("TALLY_REPORT=" + (dir_ / "report-%p.json").string(),
                  "--gtest_filter=Suite.Passes:Deaths.*");
  EXPECT_EQ(r.status, 0) << r.output;
  int reports = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
    std::string name = e.path().filename().string();
    EXPECT_TRUE(name.rfind("report-", 0) == 0 && name.find("%p") == std::string::npos) << name;
    tally::Report report = tally::report_from_json(read(e.path()));
    EXPECT_TRUE(report.complete);
    ASSERT_EQ(report.tests.size(), 2u);
    EXPECT_EQ(report.tests[1].name, "ExitInAChild");
    EXPECT_EQ(report.tests[1].result, "passed");
    EXPECT_TRUE(report.tests[1].profile.empty());  // leaf(7) ran in the child
    ++reports;
  }
  EXPECT_EQ(reports, 1);
}

TEST_F(Listener, FailsTheRunWhenTheReportCannotBeWritten) {
  Outcome r = run("TALLY_REPORT=" + (dir_ / "missing" / "report.json").string(),
              "--gtest_filter=Suite.Passes");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "tally: the report asked for by TALLY_REPORT cannot be "
                                 "written: cannot write " +
                                     (dir_ / "missing" / "report.json").string() +
                                     ": No such file or directory"))
      << r.output;
}

TEST_F(Listener, FailsTheRunForAReportFlagWithoutAFile) {
  Outcome r = run("", "--gtest_filter=Suite.Passes --tally_report");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "tally: --tally_report needs a file: --tally_report=<path>.json"))
      << r.output;
}

TEST_F(Listener, WritesNoReportUnlessAskedTo) {
  Outcome r = run("", "--gtest_filter=Suite.Passes");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_FALSE(contains(r.output, "tally")) << r.output;
}

// Snapshots through a real test program, run the way a developer and a CI
// job would run it.
TEST_F(Listener, SnapshotsFromCreationToCi) {
  std::string env = "TALLY_SNAPSHOT_DIR=" + dir_.string();
  std::string filter = "--gtest_filter=Snapshots.*";
  fs::path same = dir_ / "Snapshots.OfTheWorkload.json";
  fs::path budget = dir_ / "Snapshots.OfTheWorkload.budget.json";
  std::string create = std::string("TALLY_UPDATE_SNAPSHOTS=1 ") + SUITE_PROGRAM +
                       " --gtest_filter=Snapshots.OfTheWorkload";

  // In CI a missing snapshot fails, even when asked to write it.
  for (const char* update : {"", " TALLY_UPDATE_SNAPSHOTS=1"}) {
    Outcome r = run("CI=true " + env + update, filter);
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "which has no snapshot: " + same.string() +
                                       " does not exist, and snapshots are never written "
                                       "when CI is set; create it on your machine with\n  " +
                                       create + "\nand commit it"))
        << r.output;
    EXPECT_FALSE(fs::exists(same));
    EXPECT_FALSE(fs::exists(budget));
  }
  // Elsewhere too, with the command that creates it.
  Outcome r = run(env, filter);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "which has no snapshot: " + same.string() +
                                     " does not exist; create it with\n  " + create))
      << r.output;
  EXPECT_FALSE(fs::exists(same));

  // Created on request...
  r = run("TALLY_UPDATE_SNAPSHOTS=1 " + env, filter);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "tally: wrote the snapshot " + same.string())) << r.output;
  EXPECT_EQ(tally::profile_from_json(read(same)).count("work::leaf(int)"), 3u);
  EXPECT_EQ(read(same), read(budget));

  // ...then matched, in CI too.
  EXPECT_EQ(run(env, filter).status, 0);
  EXPECT_EQ(run("CI=true " + env, filter).status, 0);

  // One more call fails both, with a diff.
  r = run("WORK_N=4 " + env, filter);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "which differs from the snapshot " + same.string() +
                                     " in 1 function:\n+ work::leaf(int)  3 -> 4\n"))
      << r.output;
  EXPECT_TRUE(contains(r.output, "which exceeds the budget of " + budget.string() +
                                     " in 1 function:\n+ work::leaf(int)  3 -> 4\n"))
      << r.output;

  // One fewer: the budget holds, the exact snapshot does not.
  r = run("WORK_N=2 " + env, filter);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "- work::leaf(int)  3 -> 2")) << r.output;
  EXPECT_FALSE(contains(r.output, "exceeds the budget")) << r.output;

  // An update takes the new counts, and only then do they pass.
  r = run("WORK_N=2 TALLY_UPDATE_SNAPSHOTS=1 " + env, filter);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(run("WORK_N=2 " + env, filter).status, 0);
  EXPECT_EQ(run("WORK_N=3 " + env, filter).status, 1);
  EXPECT_EQ(tally::profile_from_json(read(budget)).count("work::leaf(int)"), 2u);
}

}  // namespace
