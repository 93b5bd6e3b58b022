// The soak and fault test of sessions (docs/reliability.md).
//
//   soak run SEED PROCESSES THREADS DIR exact|full|damaged
//
// Runs `tally record` over `soak launch`, which starts PROCESSES workers
// (plan.hpp) a few at a time; they fork, crash and are killed at points
// their seeds choose.  Then checks, by mode:
//   exact    the recorded count of every function is the sum of what each
//            process reports it made (DIR/<pid>.counts);
//   full     a session far too small: every process still ends as planned,
//            tally record says the session was full (exit status 3) and
//            records no call that was not made;
//   damaged  the launcher writes garbage into the segment while processes
//            join and flush: every process still ends as planned, and tally
//            record writes the report or says that the segment is damaged;
// and in every mode that every process ended as its plan says and that
// nothing of the session is left in /dev/shm.
#include <fcntl.h>     // shm_open
#include <sys/mman.h>  // mmap
#include <sys/stat.h>  // fstat
#include <sys/wait.h>  // waitpid
#include <unistd.h>    // fork, execv

#include <cstdio>      // std::printf
#include <cstring>     // std::strerror
#include <filesystem>  // std::filesystem
#include <fstream>     // std::ifstream
#include <map>         // std::map
#include <sstream>     // std::stringstream
#include <string>      // std::string
#include <vector>      // std::vector

#include "plan.hpp"
#include "tally/report.hpp"

namespace fs = std::filesystem;

namespace {

constexpr int kAtOnce = 4;  // workers running at once

struct Options {
  std::uint64_t seed = 0;
  int processes = 0;
  int threads = 0;
  std::string dir;
  std::string mode;
};

int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "soak: FAILED: %s\n", what.c_str());
    ++failures;
  }
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& err_file = "") {
  pid_t pid = fork();
  if (pid == 0) {
    if (!err_file.empty()) {
      int fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) dup2(fd, STDERR_FILENO);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::fprintf(stderr, "soak: cannot run %s: %s\n", args[0], std::strerror(errno));
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Writes `count` random words at random places of the segment of the
// session this process runs in, header included.
void damage(soak::Random& random, int count) {
  const char* name = std::getenv("TALLY_SESSION");
  int fd = name ? shm_open((std::string("/tally.") + name).c_str(), O_RDWR, 0) : -1;
  if (fd < 0) return;
  struct stat st {};
  void* base = fstat(fd, &st) == 0
                   ? mmap(nullptr, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                   : MAP_FAILED;
  close(fd);
  if (base == MAP_FAILED) return;
  auto* bytes = static_cast<unsigned char*>(base);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  for (int i = 0; i < count; ++i) {
    // Half in the first 4K (the header and the first descriptions and
    // blocks), half anywhere; a third of the words small numbers, which
    // look like offsets, counts and sizes.
    std::uint64_t where = random.below(2) ? random.next() % std::min<std::uint64_t>(size, 4096)
                                          : random.next() % size;
    std::uint64_t word = random.below(3) == 0 ? random.next() % (size + 64) : random.next();
    std::size_t n = std::min<std::uint64_t>(8, size - where);
    std::memcpy(bytes + where, &word, n);
  }
  munmap(base, st.st_size);
}

// soak launch: the command that tally record runs.
int launch(const Options& o, const std::string& worker) {
  const std::string how = o.mode == "exact" ? "exact" : "lossy";
  soak::Random random{o.seed ^ 0x5eed};
  std::map<pid_t, soak::Plan> running;
  int bad = 0;
  auto reap = [&] {
    int status = 0;
    pid_t pid = wait(&status);
    if (pid <= 0) return;
    auto it = running.find(pid);
    if (it == running.end()) return;
    if (!soak::ended_as_planned(status, it->second.ending)) {
      std::fprintf(stderr, "soak launch: the worker of seed %llu ended with %s, not %s\n",
                   static_cast<unsigned long long>(it->second.seed),
                   soak::status_text(status).c_str(), soak::ending_name(it->second.ending));
      ++bad;
    }
    running.erase(it);
  };
  for (int i = 0; i < o.processes; ++i) {
    while (running.size() >= kAtOnce) reap();
    if (o.mode == "damaged" && i >= o.processes / 4 && i % 20 == 0)
      damage(random, 1 + static_cast<int>(random.below(4)));
    std::uint64_t seed = soak::process_seed(o.seed, i);
    pid_t pid = spawn({worker, std::to_string(seed), "0", std::to_string(o.threads), o.dir, how});
    if (pid < 0) {
      std::fprintf(stderr, "soak launch: cannot fork: %s\n", std::strerror(errno));
      return 1;
    }
    running.emplace(pid, soak::make_plan(seed, 0, o.threads));
  }
  while (!running.empty()) reap();
  return bad ? 1 : 0;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int run(const Options& o, const std::string& self) {
  std::error_code ignored;
  fs::remove_all(o.dir, ignored);
  fs::create_directories(o.dir);
  const std::string session = "soak-" + o.mode + "-" + std::to_string(o.seed) + "-" +
                              std::to_string(getpid());
  const std::string report_path = o.dir + "/tally.json";
  const std::string size = o.mode == "full" ? "8K" : "64M";

  // What the run will do, from the seeds alone.
  std::vector<soak::Plan> plans;
  for (int i = 0; i < o.processes; ++i)
    soak::every_plan(soak::process_seed(o.seed, i), 0, o.threads, plans);
  std::map<std::string, int> endings;
  int forked = 0;
  for (const soak::Plan& p : plans) {
    ++endings[soak::ending_name(p.ending)];
    forked += p.depth > 0;
  }

  pid_t recorder = spawn({TALLY_TOOL, "record", "--session", session, "--size", size, "-o",
                          report_path, "--", self, "launch", std::to_string(o.seed),
                          std::to_string(o.processes), std::to_string(o.threads), o.dir,
                          o.mode},
                         o.dir + "/record.err");
  int status = wait_for(recorder);
  const std::string record_err = read_file(o.dir + "/record.err");
  check(WIFEXITED(status), "tally record ended with " + soak::status_text(status) + ":\n" +
                               record_err);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

  // What the processes say they did.
  std::map<std::string, std::uint64_t> made;
  int reports = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(o.dir)) {
    const std::string file = e.path().filename().string();
    if (e.path().extension() == ".failure")
      check(false, "process " + e.path().stem().string() + ": " + read_file(e.path()));
    if (e.path().extension() != ".counts") continue;
    ++reports;
    std::istringstream in(read_file(e.path()));
    std::string line;
    std::getline(in, line);  // seed, depth, ending
    std::string function;
    std::uint64_t n = 0;
    while (in >> function >> n) made["soak::" + function] += n;
  }
  check(reports == static_cast<int>(plans.size()),
        std::to_string(plans.size()) + " processes planned, " + std::to_string(reports) +
            " reported their calls");
  std::uint64_t total_made = 0;
  for (auto& [name, n] : made) total_made += n;

  // What tally recorded.
  std::uint64_t total_recorded = 0;
  tally::Report report;
  bool have_report = fs::exists(report_path);
  if (have_report) {
    try {
      report = tally::report_from_json(read_file(report_path));
    } catch (const std::exception& e) {
      check(false, std::string("the report cannot be read: ") + e.what());
      have_report = false;
    }
  }
  std::map<std::string, std::uint64_t> recorded;
  for (const tally::Entry& e : report.functions) {
    if (o.mode == "damaged") break;  // garbage may read as any name
    check(made.count(e.name) == 1, "the report has a function no process called: " + e.signature);
    check(recorded.count(e.name) == 0, "the report has " + e.name + " twice");
    recorded[e.name] += e.count;
    total_recorded += e.count;
  }

  if (o.mode == "exact") {
    check(code == 0, "tally record exited with " + std::to_string(code) + ":\n" + record_err);
    check(have_report, "tally record wrote no report");
    check(report.recording.processes == plans.size(),
          "the report counts " + std::to_string(report.recording.processes) +
              " processes, not " + std::to_string(plans.size()));
    check(report.recording.left_out == 0, "the report left modules out");
    check(recorded.size() == soak::kFunctions,
          "the report has " + std::to_string(recorded.size()) + " functions, not 16");
    for (auto& [name, n] : made)
      check(recorded[name] == n, name + ": recorded " + std::to_string(recorded[name]) +
                                     ", the processes made " + std::to_string(n));
  } else if (o.mode == "full") {
    check(code == 3, "tally record exited with " + std::to_string(code) +
                         ", not 3 (a full session):\n" + record_err);
    check(have_report && report.recording.left_out > 0, "the report does not say it is incomplete");
    for (auto& [name, n] : recorded)
      check(n <= made[name], name + ": recorded " + std::to_string(n) +
                                 ", more than the processes made (" + std::to_string(made[name]) +
                                 ")");
  } else {
    check(code == 0 || code == 2 || code == 3,
          "tally record exited with " + std::to_string(code) + ":\n" + record_err);
    check(code != 2 || record_err.find("is damaged") != std::string::npos ||
              record_err.find("not a tally session segment") != std::string::npos ||
              record_err.find("header is damaged") != std::string::npos,
          "tally record failed without saying that the segment is damaged:\n" + record_err);
  }

  // Nothing of the session left behind.
  for (const fs::directory_entry& e : fs::directory_iterator("/dev/shm"))
    check(e.path().filename().string().find(session) == std::string::npos,
          e.path().string() + " is left behind");

  std::printf("soak %s seed %llu: %zu processes (%d forked), %d threads each; endings:",
              o.mode.c_str(), static_cast<unsigned long long>(o.seed), plans.size(), forked,
              o.threads);
  for (auto& [name, n] : endings) std::printf(" %s %d", name.c_str(), n);
  std::printf("; %llu calls made, %llu recorded; tally record exit status %d; %s\n",
              static_cast<unsigned long long>(total_made),
              static_cast<unsigned long long>(total_recorded), code,
              failures ? "FAILED" : "passed");
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7 || (std::string(argv[1]) != "run" && std::string(argv[1]) != "launch")) {
    std::fprintf(stderr, "usage: soak run|launch SEED PROCESSES THREADS DIR exact|full|damaged\n");
    return 2;
  }
  Options o;
  o.seed = std::strtoull(argv[2], nullptr, 10);
  o.processes = std::atoi(argv[3]);
  o.threads = std::atoi(argv[4]);
  o.dir = fs::absolute(argv[5]).string();
  o.mode = argv[6];
  if (o.mode != "exact" && o.mode != "full" && o.mode != "damaged") {
    std::fprintf(stderr, "soak: the mode is exact, full or damaged, not %s\n", o.mode.c_str());
    return 2;
  }
  std::string self = fs::read_symlink("/proc/self/exe").string();
  return std::string(argv[1]) == "run" ? run(o, self) : launch(o, WORKER);
}
