// Sessions and the tally tool, run as users run them: tally record over
// instrumented processes that run in parallel, fork, crash, are killed, fill
// the segment or find a stale one; then tally report, top and diff.
#include <gtest/gtest.h>
#include <sys/stat.h>  // stat
#include <sys/wait.h>  // WEXITSTATUS
#include <unistd.h>    // geteuid

#include <signal.h>    // kill

#include <algorithm>   // std::find
#include <chrono>      // std::chrono
#include <cstdio>      // std::remove
#include <cstdlib>     // std::system, mkdtemp
#include <filesystem>  // std::filesystem
#include <fstream>     // std::ifstream
#include <map>         // std::map
#include <set>         // std::set
#include <sstream>     // std::ostringstream
#include <string>      // std::string
#include <thread>      // std::this_thread
#include <vector>      // std::vector

#include "tally/report.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kTally = TALLY_TOOL;
const std::string kWorker = WORKER;
const std::string kTick = "work::tick()";
const std::string kTock = "work::tock()";

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Result {
  int status = -1;  // exit status, or 128 + signal
  std::string out, err;
};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "tally-session-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::permissions(dir_, fs::perms::all);  // for the second user
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    session_ = std::string("test-") + info->name() + "-" + std::to_string(getpid());
  }
  void TearDown() override {
    for (pid_t pid : background_) {
      kill(-pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    fs::remove("/dev/shm/tally." + session_);
    fs::remove_all(dir_);
  }

  // Starts `command` (shell words, already quoted) in a process group of its
  // own, with its output in <tag>-out.txt and <tag>-err.txt.
  pid_t start(const std::string& command, const std::string& tag = "bg") {
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      std::string line = "cd " + quote(dir_.string()) + " && exec " + command + " >" + tag +
                         "-out.txt 2>" + tag + "-err.txt";
      execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    setpgid(pid, pid);
    background_.push_back(pid);
    return pid;
  }
  // Waits for `pid` from start(); its exit status, or 128 + signal.
  int finish(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    background_.erase(std::find(background_.begin(), background_.end(), pid));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Waits until the session's processes number `n`.
  void wait_for_processes(int n) {
    for (int i = 0; i < 200; ++i) {
      if (processes() >= n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the session never had " << n << " processes";
  }
  // The processes of the session, as tally top shows them; -1 without one.
  int processes() {
    Result r = tally("top --session " + session_ + " --count 1");
    std::size_t colon = r.out.find(": ");
    return colon == std::string::npos ? -1 : std::atoi(r.out.c_str() + colon + 2);
  }

  // Runs `command` (shell words, already quoted) with `env` before it.
  Result sh(const std::string& command, const std::string& env = "") {
    std::string line = "cd " + quote(dir_.string()) + " && " + (env.empty() ? "" : "env " + env + " ") +
                       command + " >out.txt 2>err.txt";
    int status = std::system(line.c_str());
    Result r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read(dir_ / "out.txt");
    r.err = read(dir_ / "err.txt");
    return r;
  }
  Result tally(const std::string& args, const std::string& env = "") {
    return sh(quote(kTally) + " " + args, env);
  }
  std::string worker(const std::string& args) const { return quote(kWorker) + " " + args; }
  // tally record of the worker with `args`, to report.json.
  Result record(const std::string& args, const std::string& options = "") {
    return tally("record --session " + session_ + " -o report.json " + options + " -- " +
                 worker(args));
  }
  tally::Report report(const std::string& name = "report.json") {
    return tally::report_from_json(read(dir_ / name));
  }
  static std::uint64_t count(const tally::Report& r, const std::string& signature) {
    std::uint64_t n = 0;
    for (const tally::Entry& e : r.functions)
      if (e.signature == signature) n += e.count;
    return n;
  }
  static std::set<std::string> signatures(const tally::Report& r) {
    std::set<std::string> all;
    for (const tally::Entry& e : r.functions) all.insert(e.signature);
    return all;
  }

  fs::path dir_;
  std::string session_;
  std::vector<pid_t> background_;
};

TEST_F(SessionTest, RecordsOneProcessAndItsUncalledFunctions) {
  Result r = record("calls 1000");
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_TRUE(rep.recorded);
  EXPECT_EQ(rep.recording.processes, 1u);
  EXPECT_EQ(rep.recording.exit_code, 0);
  EXPECT_EQ(rep.recording.command, (std::vector<std::string>{kWorker, "calls", "1000"}));
  EXPECT_EQ(count(rep, kTick), 1000u);
  EXPECT_EQ(signatures(rep), (std::set<std::string>{kTick, kTock}));
  EXPECT_EQ(count(rep, kTock), 0u);
  EXPECT_EQ(r.err, "tally record: 1 instrumented process, 1 of 2 functions called, 1,000 calls; "
                   "wrote report.json\n");
  EXPECT_FALSE(fs::exists("/dev/shm/tally." + session_)) << "the segment is removed";

  Result uncalled = tally("report report.json --uncalled --format csv");
  EXPECT_EQ(uncalled.status, 0);
  EXPECT_EQ(uncalled.out, "calls,name,signature,file,line,kind\n0,work::tock,work::tock()," +
                              std::string(COUNTED_SOURCE) + ",7,entries\n");
}

TEST_F(SessionTest, ParallelWritersCountExactly) {
  std::string w = worker("threads 4 100000");
  Result r = tally("record --session " + session_ + " -o report.json -- sh -c " +
                   quote(w + " & " + w + " & " + w + " & wait"));
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.processes, 3u);
  EXPECT_EQ(count(rep, kTick), 1200000u);
}

TEST_F(SessionTest, AForkedChildAddsItsOwnCallsOnly) {
  Result r = record("fork 2 3 5");  // 2 before fork, 3 in the child, 5 after
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.processes, 2u);
  EXPECT_EQ(count(rep, kTick), 10u);
}

TEST_F(SessionTest, ManyForkedChildrenAllCount) {
  Result r = record("forks 50");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(report(), kTick), 50u);
  EXPECT_EQ(report().recording.processes, 51u);
}

TEST_F(SessionTest, ACrashKeepsTheCallsBeforeIt) {
  struct Case {
    const char* mode;
    int status;
  };
  for (Case c : {Case{"segv", 128 + SIGSEGV}, Case{"abort", 128 + SIGABRT},
                 Case{"exit_now", 0}}) {
    SCOPED_TRACE(c.mode);
    Result r = record(std::string(c.mode) + " 7");
    EXPECT_EQ(r.status, c.status) << r.err;
    tally::Report rep = report();
    EXPECT_EQ(rep.recording.exit_code, c.status);
    EXPECT_EQ(count(rep, kTick), 7u);
  }
}

TEST_F(SessionTest, AChildKilledBySigsegvKeepsItsCalls) {
  Result r = record("fork_segv 2 11");  // 2 in the parent, 11 in the child before it dies
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.processes, 2u);
  EXPECT_EQ(count(rep, kTick), 13u);
}

TEST_F(SessionTest, AChildThatOnlyExecsIsNoProcessOfTheSession) {
  Result r = record("fork_exec 3");
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.processes, 1u);
  EXPECT_EQ(count(rep, kTick), 3u);
}

TEST_F(SessionTest, ExitWithoutThePreloadKeepsWhatWasFlushed) {
  // libtally does not replace _exit(): without libtally-exit.so, a process
  // that ends with it keeps the calls that the last flush copied.
  Result r = tally("record --no-preload --session " + session_ + " -o report.json -- " +
                   quote(WORKER_LINKED) + " exit_after 7 500");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(report(), kTick), 7u);
}

TEST_F(SessionTest, AVforkChildThatEndsWithExitLeavesTheCountsAlone) {
  Result r = record("vfork 3 4");
  ASSERT_EQ(r.status, 0) << r.err;
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.processes, 1u);
  EXPECT_EQ(count(rep, kTick), 7u);
}

TEST_F(SessionTest, TheSessionTakesNoSignalOfTheProgram) {
  // SIGTERM, blocked by the program's thread and sent to the process, waits
  // for sigwait(): the flushing thread must not take it.
  Result r = record("sigwait 5");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(report(), kTick), 5u);
}

TEST_F(SessionTest, ASignalWhoseActionIsTheDefaultWithSiginfoEndsTheProcessAsBefore) {
  Result r = record("term_siginfo 4");
  EXPECT_EQ(r.status, 128 + SIGTERM) << r.err;
  EXPECT_EQ(count(report(), kTick), 4u);
}

TEST_F(SessionTest, SigkillLosesNothingFlushedBeforeIt) {
  Result r = record("kill 4");  // 4 calls, 300 ms (3 flush intervals), SIGKILL
  EXPECT_EQ(r.status, 128 + SIGKILL) << r.err;
  EXPECT_EQ(count(report(), kTick), 4u);
}

TEST_F(SessionTest, AStaleSessionIsReportedAndNeverMerged) {
  // A recording whose tally record is killed leaves its segment behind.
  pid_t killed = start(quote(kTally) + " record --session " + session_ + " -o old.json -- " +
                       worker("sleep 1 30"));
  wait_for_processes(1);
  kill(-killed, SIGKILL);
  EXPECT_EQ(finish(killed), 128 + SIGKILL);
  ASSERT_TRUE(fs::exists("/dev/shm/tally." + session_));

  Result joins = sh(worker("calls 3"), "TALLY_SESSION=" + session_);
  EXPECT_EQ(joins.status, 0);
  EXPECT_EQ(joins.err.rfind("tally: TALLY_SESSION=" + session_ +
                                ": the session is stale: the tally record that made it (pid " +
                                std::to_string(killed) + ") is gone; run the command under "
                                "tally record; this process's counts are not recorded\n",
                            0),
            0u)
      << joins.err;

  Result r = record("calls 5");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.rfind("tally record: removed the stale session " + session_ +
                            " (/dev/shm/tally." + session_ +
                            "), left by a tally record that did not finish (pid " +
                            std::to_string(killed) + ", started ",
                        0),
            0u)
      << r.err;
  EXPECT_NE(r.err.find("); none of its counts are part of this run\n"), std::string::npos);
  EXPECT_EQ(count(report(), kTick), 5u) << "the stale run's call is not merged";
}

TEST_F(SessionTest, AProcessThatDoesNotJoinKeepsNoMapping) {
  pid_t recording = start(quote(kTally) + " record --session " + session_ +
                          " -o report.json -- " + worker("sleep 1 30"));
  wait_for_processes(1);
  // Another recording's process, by its session id.
  Result other = sh(worker("mapped 2"), "TALLY_SESSION=" + session_ + " TALLY_SESSION_ID=1.1");
  EXPECT_EQ(other.status, 0);
  EXPECT_NE(other.err.find("the session was made by another tally record"), std::string::npos)
      << other.err;
  EXPECT_EQ(other.out, "segments mapped: 0\n");
  Result joins = sh(worker("mapped 2"), "TALLY_SESSION=" + session_);
  EXPECT_EQ(joins.out, "segments mapped: 1\n") << joins.err;
  // A stale session.
  kill(-recording, SIGKILL);
  EXPECT_EQ(finish(recording), 128 + SIGKILL);
  Result stale = sh(worker("mapped 2"), "TALLY_SESSION=" + session_);
  EXPECT_NE(stale.err.find("the session is stale"), std::string::npos) << stale.err;
  EXPECT_EQ(stale.out, "segments mapped: 0\n");
}

TEST_F(SessionTest, CleaningUpASessionLeavesLongerNamesAlone) {
  // A half-made segment of session <name>.b, by a live tally record (this
  // process), and an abandoned one of <name>.
  const std::string longer =
      "/dev/shm/tally~new." + session_ + ".b." + std::to_string(getpid()) + ".0";
  const std::string abandoned = "/dev/shm/tally~new." + session_ + ".4194303.0";
  { std::ofstream(longer) << "x"; }
  { std::ofstream(abandoned) << "x"; }
  Result r = record("calls 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(count(report(), kTick), 2u);
  EXPECT_TRUE(fs::exists(longer));
  EXPECT_FALSE(fs::exists(abandoned));
  fs::remove(longer);
}

TEST_F(SessionTest, ASegmentThatIsNoSessionIsReplaced) {
  { std::ofstream("/dev/shm/tally." + session_); }  // empty: a run killed long ago
  // What a tally record killed while it made its segment leaves.
  const std::string abandoned = "/dev/shm/tally~new." + session_ + ".4194303.0";
  { std::ofstream(abandoned) << "x"; }
  Result r = record("calls 2");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.rfind("tally record: removed the stale session " + session_ +
                            " (/dev/shm/tally." + session_ +
                            "), which cannot be read: it is not a tally session segment; none "
                            "of its counts are part of this run\n",
                        0),
            0u)
      << r.err;
  EXPECT_EQ(count(report(), kTick), 2u);
  EXPECT_FALSE(fs::exists(abandoned));
}

TEST_F(SessionTest, TwoRecordingsOfOneNameAtOnceNeverMix) {
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE(round);
    if (round % 2)  // both find a stale segment to replace
      std::ofstream("/dev/shm/tally." + session_) << "0123456789";
    pid_t a = start(quote(kTally) + " record --session " + session_ + " -o a.json -- " +
                    worker("sleep 3 1"), "a");
    pid_t b = start(quote(kTally) + " record --session " + session_ + " -o b.json -- " +
                    worker("sleep 5 1"), "b");
    int status_a = finish(a), status_b = finish(b);
    ASSERT_EQ(status_a + status_b, 2) << "one records, the other is refused\n"
                                      << read(dir_ / "a-err.txt") << read(dir_ / "b-err.txt");
    const std::string winner = status_a == 0 ? "a" : "b";
    const std::string loser = status_a == 0 ? "b" : "a";
    EXPECT_EQ(count(report(winner + ".json"), kTick), winner == "a" ? 3u : 5u);
    EXPECT_FALSE(fs::exists(dir_ / (loser + ".json")));
    EXPECT_NE(read(dir_ / (loser + "-err.txt")).find(" is in use by another tally record (pid "),
              std::string::npos)
        << read(dir_ / (loser + "-err.txt"));
    fs::remove(dir_ / (winner + ".json"));
  }
}

TEST_F(SessionTest, ADamagedSegmentIsReportedNotRead) {
  pid_t recording = start(quote(kTally) + " record --session " + session_ +
                          " -o report.json -- " + worker("sleep 1 1"));
  wait_for_processes(1);
  {  // Header::blocks, at byte 72, now points outside the segment.
    std::fstream segment("/dev/shm/tally." + session_, std::ios::in | std::ios::out | std::ios::binary);
    segment.seekp(72);
    const std::uint64_t outside = ~std::uint64_t{7};
    segment.write(reinterpret_cast<const char*>(&outside), sizeof outside);
  }
  const std::string damaged = "the segment of session " + session_ +
                              " is damaged: its list of blocks is broken; its counts cannot be "
                              "trusted\n";
  Result r = tally("report --session " + session_);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "tally report: " + damaged);
  EXPECT_EQ(finish(recording), 2);
  EXPECT_EQ(read(dir_ / "bg-err.txt"), "tally record: " + damaged);
}

TEST_F(SessionTest, ASessionInUseIsNotTakenOver) {
  pid_t first = start(quote(kTally) + " record --session " + session_ + " -o one.json -- " +
                      worker("sleep 1 1"));
  wait_for_processes(1);
  Result second = tally("record --session " + session_ + " -o two.json -- true");
  EXPECT_EQ(second.status, 2);
  EXPECT_EQ(second.err.rfind("tally record: session " + session_ +
                                 " is in use by another tally record (pid " +
                                 std::to_string(first) + ", started ",
                             0),
            0u)
      << second.err;
  EXPECT_NE(second.err.find("); choose another name with --session\n"), std::string::npos);
  EXPECT_EQ(finish(first), 0);
  EXPECT_EQ(count(report("one.json"), kTick), 1u);
}

TEST_F(SessionTest, AFullSegmentSaysSoAndNothingCrashes) {
  Result r = record("forks 300", "--size 4K");
  EXPECT_EQ(r.status, 3) << r.err;  // the worker succeeded; the report is incomplete
  EXPECT_NE(r.err.find("tally: session " + session_ + " is full (4K): the counts of "
                       "process "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("record again with a larger segment: tally record --size 16K"),
            std::string::npos);
  EXPECT_NE(r.err.find("tally record: the session was full: "), std::string::npos);
  tally::Report rep = report();
  EXPECT_EQ(rep.recording.exit_code, 0);
  EXPECT_GT(rep.recording.left_out, 0u);
  EXPECT_EQ(rep.recording.processes, 301u);
  EXPECT_EQ(count(rep, kTick) + rep.recording.left_out, 300u)
      << "every child either counted its call or was left out";
}

TEST_F(SessionTest, TheSegmentIsTheOwnersOnly) {
  if (geteuid() != 0)
    GTEST_SKIP() << "needs root, to run the second user's side as 'nobody' with setpriv";
  pid_t owner = start(quote(kTally) + " record --session " + session_ + " -o report.json -- " +
                      worker("sleep 1 2"));
  wait_for_processes(1);
  struct stat st {};
  ASSERT_EQ(stat(("/dev/shm/tally." + session_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::string nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  Result read = sh(nobody + quote(kTally) + " report --session " + session_);
  EXPECT_EQ(read.status, 2);
  EXPECT_EQ(read.err, "tally report: permission denied: session " + session_ +
                          " belongs to another user (/dev/shm/tally." + session_ + ")\n");
  Result join = sh(nobody + worker("calls 9"), "TALLY_SESSION=" + session_);
  EXPECT_EQ(join.status, 0);
  EXPECT_EQ(join.err, "tally: TALLY_SESSION=" + session_ +
                          ": permission denied: the session belongs to another user; this "
                          "process's counts are not recorded\n");
  EXPECT_EQ(finish(owner), 0);
  EXPECT_EQ(count(report(), kTick), 1u) << "the other user's calls are not in it";
}

TEST_F(SessionTest, TopShowsARunningSession) {
  pid_t recording = start(quote(kTally) + " record --session " + session_ +
                          " -o report.json -- " + worker("sleep 42 1"));
  wait_for_processes(1);
  for (int i = 0; i < 100 && tally("report --session " + session_).out.find("1 of 2") ==
                                 std::string::npos;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Result r = tally("top --session " + session_ + " --count 2 --interval 0.2");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "session " + session_ + ": 1 process, 1 of 2 functions called, 42 calls\n\n"
            "     calls/s           calls  function\n"
            "           -              42  work::tick()\n"
            "\n"
            "session " + session_ + ": 1 process, 1 of 2 functions called, 42 calls\n\n"
            "     calls/s           calls  function\n"
            "           0              42  work::tick()\n");
  EXPECT_EQ(finish(recording), 0);
}

// ---- report and diff on files ----

const char* const kOld = R"json({"format": "tally-report", "version": 1, "complete": true,
  "tests": [], "functions": [
  {"count": 4, "signature": "shop::get(int)", "name": "shop::get", "file": "/s/shop.cpp", "line": 3},
  {"count": 10, "signature": "shop::put(int)", "name": "shop::put", "file": "/s/shop.cpp", "line": 9},
  {"count": 0, "signature": "shop::drop(int)", "name": "shop::drop", "file": "/s/shop.cpp", "line": 12}]})json";
const char* const kNew = R"json({"format": "tally-profile", "version": 1, "functions": [
  {"count": 5, "signature": "shop::get(int)", "name": "shop::get", "file": "/s/shop.cpp", "line": 3},
  {"count": 10, "signature": "shop::put(int)", "name": "shop::put", "file": "/s/shop.cpp", "line": 9},
  {"count": 2, "signature": "shop::scan()", "name": "shop::scan", "file": "/s/shop.cpp", "line": 20}]})json";

class Files : public SessionTest {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
};

TEST_F(Files, ReportPrintsATableJsonAndCsv) {
  write("old.json", kOld);
  Result table = tally("report old.json");
  EXPECT_EQ(table.status, 0);
  EXPECT_EQ(table.out,
            "calls  function        defined at\n"
            "   10  shop::put(int)  /s/shop.cpp:9\n"
            "    4  shop::get(int)  /s/shop.cpp:3\n"
            "\n"
            "2 of 3 instrumented functions called, 14 calls in all\n");
  Result top = tally("report old.json --top 1 --format csv");
  EXPECT_EQ(top.out, "calls,name,signature,file,line,kind\n10,shop::put,shop::put(int),/s/shop.cpp,9,entries\n");
  Result match = tally("report old.json --match get$ --format json");
  EXPECT_EQ(tally::profile_from_json(match.out).count("shop::get"), 4u);
  EXPECT_EQ(tally::profile_from_json(match.out).size(), 1u);
  Result uncalled = tally("report old.json --uncalled");
  EXPECT_EQ(uncalled.out,
            "calls  function         defined at\n"
            "    0  shop::drop(int)  /s/shop.cpp:12\n"
            "\n"
            "1 of 3 instrumented functions never called\n");
}

// Calls into functions that are not instrumented, counted at the call
// sites (docs/calls-into.md): marked in tables, a column of CSV, and alone
// with --calls-into.
TEST_F(Files, ReportShowsCallsIntoAndOnlyThemWithCallsInto) {
  write("calls.json", R"json({"format": "tally-report", "version": 1, "complete": true,
  "tests": [], "functions": [
  {"count": 4, "signature": "shop::get(int)", "name": "shop::get", "file": "/s/shop.cpp", "line": 3},
  {"count": 6, "signature": "sqlite3_step(sqlite3_stmt *)", "name": "sqlite3_step",
   "file": "/usr/include/sqlite3.h", "line": 4869, "kind": "calls"},
  {"count": 0, "signature": "sqlite3_reset(sqlite3_stmt *)", "name": "sqlite3_reset",
   "file": "/usr/include/sqlite3.h", "line": 5201, "kind": "calls"}]})json");
  Result table = tally("report calls.json");
  EXPECT_EQ(table.status, 0);
  EXPECT_EQ(table.out,
            "calls  function                      defined at\n"
            "    6  sqlite3_step(sqlite3_stmt *)  /usr/include/sqlite3.h:4869 (calls into)\n"
            "    4  shop::get(int)                /s/shop.cpp:3\n"
            "\n"
            "2 of 3 instrumented functions called, 10 calls in all\n");
  Result into = tally("report calls.json --calls-into --format csv");
  EXPECT_EQ(into.out,
            "calls,name,signature,file,line,kind\n"
            "6,sqlite3_step,sqlite3_step(sqlite3_stmt *),/usr/include/sqlite3.h,4869,calls\n");
  Result summary = tally("report calls.json --calls-into");
  EXPECT_NE(summary.out.find("\n1 of 2 functions counted at call sites called, 6 calls in all\n"),
            std::string::npos)
      << summary.out;
  Result uncalled = tally("report calls.json --calls-into --uncalled");
  EXPECT_NE(uncalled.out.find("sqlite3_reset(sqlite3_stmt *)"), std::string::npos) << uncalled.out;
  EXPECT_EQ(tally::profile_from_json(tally("report calls.json --calls-into --format json").out)
                .begin()
                ->kind,
            tally::Entry::Kind::calls);
}

// Where the calls of a function came from (callers, docs/callers.md):
// --callers lists its call sites, most calls first, and the calls from
// elsewhere; the report's call sites over its tests.
TEST_F(Files, ReportListsTheCallSitesOfAFunction) {
  write("sites.json", R"json({"format": "tally-report", "version": 2, "complete": true,
  "tests": [{"suite": "S", "name": "a", "result": "passed", "file": "/s/t.cpp", "line": 1,
    "total": 5, "functions": [
    {"count": 5, "signature": "db::query(int)", "name": "db::query", "file": "/s/db.cpp", "line": 3}],
    "call_sites": [
    {"count": 3, "callee": "db::query(int)", "callee_name": "db::query",
     "caller": "shop::load(int)", "caller_name": "shop::load", "file": "/s/shop.cpp", "line": 8, "column": 12},
    {"count": 1, "callee": "db::query(int)", "callee_name": "db::query",
     "caller": "shop::one()", "caller_name": "shop::one", "file": "/s/shop.cpp", "line": 20, "column": 5}]},
   {"suite": "S", "name": "b", "result": "passed", "file": "/s/t.cpp", "line": 9,
    "total": 2, "functions": [
    {"count": 2, "signature": "db::query(int)", "name": "db::query", "file": "/s/db.cpp", "line": 3}],
    "call_sites": [
    {"count": 1, "callee": "db::query(int)", "callee_name": "db::query",
     "caller": "shop::load(int)", "caller_name": "shop::load", "file": "/s/shop.cpp", "line": 8, "column": 12}]}],
  "functions": [
  {"count": 7, "signature": "db::query(int)", "name": "db::query", "file": "/s/db.cpp", "line": 3},
  {"count": 0, "signature": "db::drop(int)", "name": "db::drop", "file": "/s/db.cpp", "line": 9}]})json");
  Result table = tally("report sites.json --callers db::query");
  EXPECT_EQ(table.status, 0) << table.err;
  EXPECT_EQ(table.out,
            "calls  called from      at\n"
            "    4  shop::load(int)  /s/shop.cpp:8:12\n"
            "    1  shop::one()      /s/shop.cpp:20:5\n"
            "    2  (elsewhere)\n"
            "\n"
            "7 calls of db::query(int): 5 at 2 call sites in instrumented code, 2 from "
            "elsewhere\n");
  Result csv = tally("report sites.json --callers db::query --format csv --top 2");
  EXPECT_EQ(csv.out,
            "calls,caller,callee,file,line,column\n"
            "4,shop::load(int),db::query(int),/s/shop.cpp,8,12\n"
            "1,shop::one(),db::query(int),/s/shop.cpp,20,5\n");
  Result elsewhere = tally("report sites.json --callers db::query --format csv");
  EXPECT_NE(elsewhere.out.find("\n2,,db::query(int),,,\n"), std::string::npos) << elsewhere.out;
  tally::Profile json = tally::profile_from_json(tally("report sites.json --callers db::query --format json").out);
  EXPECT_EQ(json.count("db::query"), 7u);
  EXPECT_EQ(json.count("db::query", tally::from("shop::load")), 4u);
  EXPECT_EQ(json.call_sites().size(), 2u);

  // What the report cannot answer.
  Result drop = tally("report sites.json --callers db::drop");
  EXPECT_EQ(drop.status, 2);
  EXPECT_EQ(drop.err, "tally report: no call of \"db::drop\" in sites.json, so no call sites\n");
  Result none = tally("report sites.json --callers db::nothing");
  EXPECT_EQ(none.err,
            "tally report: no function of sites.json is \"db::nothing\"; tally report --match "
            "lists them\n");
  write("old.json", kOld);
  Result without = tally("report old.json --callers shop::get");
  EXPECT_EQ(without.status, 2);
  EXPECT_EQ(without.err,
            "tally report: old.json has no call sites: its code was built without callers; "
            "build it with -DTALLY_CALLERS=ON (or tally_instrument(<target> CALLERS)), run it "
            "again, and see docs/callers.md\n");
}

TEST_F(Files, DiffKeepsApartFunctionsThatPrintAlikeAndMatchesMovedCode) {
  // Two functions that print alike, in two files; and one that moved down
  // its file.
  write("old.json", R"json({"format": "tally-profile", "version": 1, "functions": [
  {"count": 1, "signature": "(anonymous namespace)::helper()", "name": "(anonymous namespace)::helper", "file": "/s/a.cpp", "line": 3},
  {"count": 1, "signature": "(anonymous namespace)::helper()", "name": "(anonymous namespace)::helper", "file": "/s/b.cpp", "line": 3},
  {"count": 4, "signature": "shop::get(int)", "name": "shop::get", "file": "/s/shop.cpp", "line": 3}]})json");
  write("new.json", R"json({"format": "tally-profile", "version": 1, "functions": [
  {"count": 1, "signature": "(anonymous namespace)::helper()", "name": "(anonymous namespace)::helper", "file": "/s/a.cpp", "line": 3},
  {"count": 3, "signature": "(anonymous namespace)::helper()", "name": "(anonymous namespace)::helper", "file": "/s/b.cpp", "line": 3},
  {"count": 4, "signature": "shop::get(int)", "name": "shop::get", "file": "/s/shop.cpp", "line": 30}]})json");
  Result r = tally("diff old.json new.json");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            "  before  after   change  function\n"
            ">      1      3  +200.0%  (anonymous namespace)::helper()  (/s/b.cpp)\n"
            "\n"
            "1 of 3 functions changed; 1 rose by more than 0% (marked >)\n");
}

TEST_F(Files, DiffFailsWhenACountRisesAboveTheThreshold) {
  write("old.json", kOld);
  write("new.json", kNew);
  Result strict = tally("diff old.json new.json");
  EXPECT_EQ(strict.status, 1);
  EXPECT_EQ(strict.out,
            "  before  after  change  function\n"
            ">      0      2     new  shop::scan()\n"
            ">      4      5  +25.0%  shop::get(int)\n"
            "\n"
            "2 of 4 functions changed; 2 rose by more than 0% (marked >)\n");
  Result lenient = tally("diff old.json new.json --threshold 30");
  EXPECT_EQ(lenient.status, 1) << "a function called only now always fails";
  Result same = tally("diff old.json old.json");
  EXPECT_EQ(same.status, 0);
  EXPECT_EQ(same.out, "0 of 3 functions changed; 0 rose by more than 0%\n");
  Result fewer = tally("diff new.json old.json --threshold 10");
  EXPECT_EQ(fewer.status, 0) << fewer.out;
}

TEST_F(Files, MalformedReportsFailClearly) {
  write("old.json", kOld);
  struct Case {
    const char* file;
    const char* text;  // null: do not create
    const char* error;
  };
  const Case cases[] = {
      {"missing.json", nullptr, "cannot read missing.json: no such file, or not readable"},
      {"empty.json", "", "empty.json: not valid JSON: parse error at line 1, column 1"},
      {"cut.json", "{\"format\": \"tally-report\", ", "cut.json: not valid JSON: parse error"},
      {"array.json", "[]", "array.json: not a tally report: \"format\" must be \"tally-report\" or \"tally-profile\""},
      {"other.json", "{\"format\": \"other\", \"version\": 1}", "other.json: not a tally report"},
      {"v3.json", "{\"format\": \"tally-report\", \"version\": 3}", "v3.json: tally-report version 3 is not supported; this tally reads versions 1 to 2"},
      {"count.json", "{\"format\": \"tally-profile\", \"version\": 1, \"functions\": [{\"count\": -1, \"signature\": \"f()\", \"name\": \"f\"}]}", "count.json: functions[0]: \"count\" must be an integer"},
      {".", nullptr, "cannot read .: it is a directory"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    if (c.text) write(c.file, c.text);
    for (const std::string& command :
         {std::string("report ") + c.file, std::string("diff old.json ") + c.file,
          std::string("diff ") + c.file + " old.json"}) {
      Result r = tally(command);
      EXPECT_EQ(r.status, 2) << command;
      std::string word = command.substr(0, command.find(' '));
      EXPECT_EQ(r.err.rfind("tally " + word + ": " + c.error, 0), 0u) << r.err;
      EXPECT_EQ(r.out, "");
    }
  }
}

TEST_F(Files, BadArgumentsFailClearly) {
  struct Case {
    const char* args;
    const char* error;
  };
  const Case cases[] = {
      {"record", "tally record: no command to run: give it after --, as in tally record -- ctest -j2; see tally record --help\n"},
      {"record --size 12Q -- true", "tally record: --size: not a size: \"12Q\"; write bytes, or a number followed by K, M or G: 64M; see tally record --help\n"},
      {"record --session a/b -- true", "tally record: a session name has only letters, digits, '.', '_' and '-': \"a/b\"\n"},
      {"report --format xml", "tally report: --format must be table, json or csv, not \"xml\"; see tally report --help\n"},
      {"report --match '(' x.json", "tally report: --match: not a valid regular expression: \"(\""},
      {"report --match 'a{1,12345678901}' x.json", "tally report: --match: not a valid regular expression: \"a{1,12345678901}\" (12345678901: a back-reference or repeat count has at most 9 digits); see tally report --help\n"},
      {"report --top 0", "tally report: --top must be a whole number of at least 1, not \"0\"; see tally report --help\n"},
      {"report --session nosuch", "tally report: no session named nosuch (no /dev/shm/tally.nosuch); start one with tally record --session nosuch -- <command>\n"},
      {"diff a.json", "tally diff: give two reports: tally diff OLD NEW; see tally diff --help\n"},
      {"diff a b --threshold -5", "tally diff: --threshold must be a percentage of 0 or more, not \"-5\"; see tally diff --help\n"},
      {"top", "tally top: --session NAME is required; see tally top --help\n"},
      {"report --bogus", "tally report: unknown option --bogus; see tally report --help\n"},
      {"report --callers f --uncalled", "tally report: --callers lists the call sites of one function: it does not go with --uncalled; see tally report --help\n"},
      {"report --callers ''", "tally report: --callers needs a function's name; see tally report --help\n"},
      {"frobnicate", "tally: no command named 'frobnicate'; 'tally --help' lists them\n"},
  };
  for (const Case& c : cases) {
    Result r = tally(c.args);
    EXPECT_EQ(r.status, 2) << c.args;
    EXPECT_EQ(r.err.rfind(c.error, 0), 0u) << c.args << "\n" << r.err;
  }
}

#ifdef DOWNLOADER_DIR
// The whole downloader suite, each test in its own process, two at a time:
// the recording holds exactly the sum of what each test counted itself.
TEST_F(SessionTest, RecordingCtestSumsEveryTestExactly) {
  Result r = tally("record --session " + session_ + " -o all.json -- " + quote(CTEST_COMMAND) +
                       " -j2 --test-dir " + quote(DOWNLOADER_DIR),
                   "TALLY_REPORT=" + quote((dir_ / "test-%p.json").string()));
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  tally::Report all = report("all.json");

  std::map<std::string, std::uint64_t> sum;  // over the tests' own reports
  std::set<std::string> registered;
  int processes = 0;
  for (const fs::directory_entry& f : fs::directory_iterator(dir_)) {
    if (f.path().filename().string().rfind("test-", 0) != 0) continue;
    ++processes;
    tally::Report one = tally::report_from_json(read(f.path()));
    ASSERT_EQ(one.tests.size(), 1u) << f.path();
    for (const tally::Entry& e : one.functions) {
      sum[e.signature] += e.count;
      registered.insert(e.signature);
    }
  }
  EXPECT_EQ(processes, 4);
  EXPECT_EQ(all.recording.processes, 4u);
  EXPECT_EQ(signatures(all), registered);
  for (const tally::Entry& e : all.functions) EXPECT_EQ(e.count, sum[e.signature]) << e.signature;
  EXPECT_EQ(count(all, "example::http::get(const std::string &)"), 16u);

  Result uncalled = tally("report all.json --uncalled --format csv");
  EXPECT_EQ(uncalled.out, "calls,name,signature,file,line,kind\n0,example::db::erase,"
                          "example::db::erase(const std::string &)," DOWNLOADER_SOURCE "/src/db.cpp,23,entries\n");
}

// tally names finds, in the downloader's sources, exactly the functions that
// its recorded profile holds (called or not), under the same names.
TEST_F(SessionTest, NamesListsExactlyWhatTheProfileCanContain) {
  Result r = tally("record --session " + session_ + " -o all.json -- " + quote(CTEST_COMMAND) +
                   " -j2 --test-dir " + quote(DOWNLOADER_DIR));
  ASSERT_EQ(r.status, 0) << r.err;
  std::set<std::string> recorded;
  for (const tally::Entry& e : report("all.json").functions)
    recorded.insert(e.name + "," + e.signature + "," + e.file + "," + std::to_string(e.line));

  const std::string src = DOWNLOADER_SOURCE;
  Result names = tally("names -p " + quote(BUILD_DIR) + " --format csv " + src + "/src/db.cpp " +
                       src + "/src/downloader.cpp " + src + "/src/http.cpp " + src +
                       "/test/downloader_test.cpp");
  ASSERT_EQ(names.status, 0) << names.err;
  std::istringstream lines(names.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "name,signature,file,line");
  std::set<std::string> listed;
  while (std::getline(lines, line)) {
    // Unquote the CSV fields that hold commas (signatures with 2 parameters).
    std::string plain;
    for (char c : line)
      if (c != '"') plain += c;
    listed.insert(plain);
  }
  EXPECT_EQ(listed, recorded);
  EXPECT_EQ(listed.size(), 7u);
}

TEST_F(SessionTest, NamesFailsClearly) {
  Result no_database = tally("names -p " + quote(dir_.string()));
  EXPECT_EQ(no_database.status, 2);
  EXPECT_EQ(no_database.err, "tally names: cannot read " + (dir_ / "compile_commands.json").string() +
                                 ": Error while opening JSON database: No such file or directory; "
                                 "configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON\n");
  Result unknown = tally("names -p " + quote(BUILD_DIR) + " /nowhere/x.cpp");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_EQ(unknown.err, "tally names: /nowhere/x.cpp is not in " BUILD_DIR
                         "/compile_commands.json; name a source file that the build compiles\n");
  Result no_build = tally("names");
  EXPECT_EQ(no_build.err, "tally names: -p BUILD_DIR is required: the build's "
                          "compile_commands.json; see tally names --help\n");
}
#endif

}  // namespace
