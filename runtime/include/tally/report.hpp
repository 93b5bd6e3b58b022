// Reports and snapshots: profiles written to, and read from, JSON files.
// The formats are described in docs/json-format.md.
#ifndef TALLY_REPORT_HPP_
#define TALLY_REPORT_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <cstdint>      // std::uint32_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "tally/tally.hpp"

namespace tally {

// The latest version of the JSON formats, which this tally reads with every
// earlier one.  It writes a document with the lowest version that holds
// all of it: 2 where it has call sites (callers), else 1.
inline constexpr int json_version = 2;

// A profile as a "tally-profile" JSON document.  Entries without a file (as
// in snapshots) are written without "file" and "line".
std::string to_json(const Profile& profile);
// Reads a "tally-profile" document.  Throws std::runtime_error saying what
// is wrong with it.
Profile profile_from_json(std::string_view json);

// One test's run, as a report holds it.
struct TestProfile {
  std::string suite;   // Suite of Suite.Test
  std::string name;    // Test of Suite.Test
  std::string result;  // "passed", "failed" or "skipped"
  std::string file;    // where the test is defined
  std::uint32_t line = 0;
  Profile profile;     // the calls made while the test ran
};

// How `tally record` made a report: what it ran, and what took part.
struct Recording {
  std::vector<std::string> command;  // the command and its arguments
  int exit_code = 0;           // the command's; 128 + N when signal N ended it
  std::uint64_t processes = 0; // instrumented processes that joined the session
  std::uint64_t left_out = 0;  // modules not recorded because the session was full
};

// The calls of a whole test run, or of every process of a recorded command.
struct Report {
  // False in the report written when the run starts: a report that stays
  // so comes from a run that never finished.
  bool complete = true;
  std::vector<TestProfile> tests;
  // Every instrumented function, with its calls over all tests; functions
  // that no test called are here with count 0.  Sorted by signature.
  // Recorded by `tally record`: over all processes, and `tests` is empty.
  std::vector<Entry> functions;
  // The call sites of those calls, where the code was built with callers
  // (docs/callers.md): over all tests, or over all processes; one per
  // call, most calls first.
  std::vector<CallSite> call_sites;
  // Set in reports that `tally record` wrote.
  bool recorded = false;
  Recording recording;
};

// A report as a "tally-report" JSON document, and back.  report_from_json
// throws std::runtime_error saying what is wrong.
std::string to_json(const Report& report);
Report report_from_json(std::string_view json);
// A "tally-report" document, or a "tally-profile" one read as a report
// that holds only its functions, as `tally report` and `tally diff` take
// either.  Throws std::runtime_error saying what is wrong.
Report report_or_profile_from_json(std::string_view json);

// The functions of `report` over its tests: the sum of the tests' profiles,
// and `registered` (every function that could have been called) with
// count 0 where no test called it.
std::vector<Entry> sum_of_tests(const std::vector<TestProfile>& tests,
                                const std::vector<Entry>& registered);
// The call sites of `tests`, summed over them.
std::vector<CallSite> call_sites_of_tests(const std::vector<TestProfile>& tests);

// Writes `report` to `path` as a "tally-report" document, through a
// temporary file in the same directory, so that readers never see half a
// file.  Returns an empty string, or what went wrong ("cannot write
// /x/y.json: No such file or directory").
std::string write_report(const std::string& path, const Report& report);

// How a profile is compared with its snapshot file.
enum class SnapshotRule {
  same,     // every count equal, no function more or less
  at_most,  // no count above the snapshot's: a call budget
};

struct SnapshotRequest {
  std::string path;  // the snapshot file
  SnapshotRule rule = SnapshotRule::same;
  bool update = false;  // write the profile as the new snapshot
  bool ci = false;      // never write; a missing snapshot fails
  // The command that writes this snapshot, for messages:
  // "TALLY_UPDATE_SNAPSHOTS=1 ./shop_test --gtest_filter=Orders.Load".
  std::string update_command;
};

struct SnapshotResult {
  bool passed = false;
  std::string explanation;  // why it failed, or what was written
  bool wrote = false;       // the snapshot file was created or changed
};

// Compares `profile` with the snapshot `request.path`, which holds
// signatures and counts only, and writes it when asked to.
SnapshotResult check_snapshot(const Profile& profile, const SnapshotRequest& request);

// The profile a snapshot keeps: no file or line, and one entry per signature.
Profile without_locations(const Profile& profile);

}  // namespace tally

#endif  // TALLY_REPORT_HPP_
