// The per-test report: with TALLY_REPORT=<path>.json in the environment, or
// --tally_report=<path>.json on the command line, a test program writes
// every test's profile to one JSON file (docs/json-format.md).  "%p" in the
// path becomes the process id, for runners that start one process per test.
//
// Every test program that includes <tally/gtest.hpp> has the listener.
#ifndef TALLY_REPORT_LISTENER_HPP_
#define TALLY_REPORT_LISTENER_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <gtest/gtest.h>  // testing::EmptyTestEventListener
#include <unistd.h>       // getpid

#include <cstdlib>  // std::getenv
#include <iostream>  // std::cerr
#include <optional>  // std::optional
#include <string>   // std::string
#include <utility>  // std::move
#include <vector>   // std::vector

#include "tally/detail/listeners.h"
#include "tally/report.hpp"
#include "tally/snapshots.hpp"
#include "tally/tally.hpp"

namespace tally {
namespace internal {

class ReportListener : public ::testing::EmptyTestEventListener {
 public:
  void OnTestProgramStart(const ::testing::UnitTest&) override {
    path_.clear();
    std::string flag = "--tally_report";
    for (const std::string& arg : ::testing::internal::GetArgvs()) {
      if (arg.compare(0, flag.size(), flag) != 0) continue;
      if (arg.size() > flag.size() + 1 && arg[flag.size()] == '=') {
        path_ = arg.substr(flag.size() + 1);
      } else if (arg.size() == flag.size() || arg[flag.size()] == '=') {
        ADD_FAILURE_AT(nullptr, -1) << "tally: --tally_report needs a file: --tally_report=<path>.json";
        return;
      }
    }
    if (path_.empty()) {
      const char* env = std::getenv("TALLY_REPORT");
      if (env && *env) path_ = env;
    }
    if (path_.empty()) return;
    for (std::string::size_type at; (at = path_.find("%p")) != std::string::npos;)
      path_.replace(at, 2, std::to_string(getpid()));
    // Written now, so that a path that cannot be written fails the run, and
    // a run that dies leaves a report that says it is not complete.
    Report started;
    started.complete = false;
    std::string error = write_report(path_, started);
    if (!error.empty()) {
      ADD_FAILURE_AT(nullptr, -1) << "tally: the report asked for by "
                    << (std::getenv("TALLY_REPORT") ? "TALLY_REPORT" : "--tally_report")
                    << " cannot be written: " << error;
      path_.clear();
    }
  }

  void OnTestStart(const ::testing::TestInfo&) override {
    if (path_.empty()) return;
    // The last test's is gone before this one's starts to count.
    profiler_.reset();
    profiler_.emplace();
  }

  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (path_.empty()) return;
    Profile calls = profiler_->calls();
    TestProfile test;
    test.suite = info.test_suite_name();
    test.name = info.name();
    const ::testing::TestResult& result = *info.result();
    test.result = result.Skipped() ? "skipped" : result.Failed() ? "failed" : "passed";
    test.file = info.file();
    test.line = static_cast<std::uint32_t>(info.line());
    test.profile = std::move(calls);
    tests_.push_back(std::move(test));
  }

  void OnTestProgramEnd(const ::testing::UnitTest&) override {
    if (path_.empty()) return;
    Report report;
    report.tests = std::move(tests_);
    report.functions = sum_of_tests(report.tests, registered_functions());
    report.call_sites = call_sites_of_tests(report.tests);
    std::string error = write_report(path_, report);
    if (!error.empty()) std::cerr << "tally: the report was not written: " << error << '\n';
    tests_.clear();
  }

 private:
  std::string path_;
  std::optional<Profiler> profiler_;
  std::vector<TestProfile> tests_;
};

// Appends the listener to GoogleTest's once per program, before main().
inline const bool report_listener_installed = [] {
  if (detail::first_report_listener())
    ::testing::UnitTest::GetInstance()->listeners().Append(new ReportListener);
  return true;
}();

}  // namespace internal
}  // namespace tally

#endif  // TALLY_REPORT_LISTENER_HPP_
