// tally record: runs a command in a new session, then writes the calls of
// every instrumented process it started to a report.
#include <fmt/core.h>
#include <signal.h>    // sigaction, kill
#include <sys/wait.h>  // waitpid
#include <unistd.h>    // fork, execvp

#include <cerrno>   // errno
#include <cstdlib>  // setenv
#include <cstring>  // std::strerror
#include <filesystem>  // std::filesystem

#include "args.h"
#include "commands.h"
#include "inputs.h"
#include "segment.h"  // runtime/src: segment::size_text
#include "tally/report.hpp"
#include "tally/session.hpp"

namespace tally::tool {

const char* const record_usage =
    "usage: tally record [--session NAME] [--size SIZE] [-o FILE] [--no-preload]\n"
    "                    -- <command> [args...]\n"
    "\n"
    "Runs the command with TALLY_SESSION=NAME set, so that every instrumented process\n"
    "it starts (children, forked processes, parallel ctest runs) adds its calls to one\n"
    "shared-memory session. When the command ends, writes every instrumented function\n"
    "of those processes with its calls summed (0 for those never called) as a\n"
    "tally-report JSON file, and removes the session.\n"
    "\n"
    "options:\n"
    "  --session NAME  the session's name (default: record-<pid>); 'tally top --session\n"
    "                  NAME' watches it while the command runs\n"
    "  --size SIZE     the shared-memory segment's size (default: 64M); a run whose\n"
    "                  processes fill it records only part of their calls and says so\n"
    "  -o FILE         the report to write (default: tally.json)\n"
    "  --no-preload    do not preload libtally-exit.so (which lets processes that end\n"
    "                  with _exit() keep the calls of their last 100 ms) into the\n"
    "                  command's programs\n"
    "\n"
    "exit status: the command's (128+N when signal N ended it); 3 when the command\n"
    "succeeded but the session was full; 2 for bad arguments or a session that\n"
    "cannot be made.\n";

namespace {

pid_t g_child = 0;

// libtally-exit.so: next to an installed tally, or in the build tree.
std::string exit_library() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  std::vector<std::filesystem::path> candidates;
  if (!error) candidates.push_back(self.parent_path().parent_path() / TALLY_LIBDIR / "libtally-exit.so");
  candidates.push_back(TALLY_EXIT_BUILT);
  for (const std::filesystem::path& path : candidates)
    if (std::filesystem::exists(path, error)) return path.string();
  return {};
}

void forward_signal(int sig) {
  if (g_child > 0) kill(g_child, sig);
}

// LD_PRELOAD with libtally-exit.so after what it holds (a sanitizer's
// runtime must stay first), or empty when it cannot be added.
std::string preload_with_exit_library() {
  std::string library = exit_library();
  const char* preload = std::getenv("LD_PRELOAD");
  if (library.empty()) {
    fmt::print(stderr,
               "tally record: libtally-exit.so is missing from tally's installation: "
               "processes that end with _exit() may lose their calls of the last {} ms\n",
               Session::flush_ms);
    return {};
  }
  if (library.find_first_of(" :") != std::string::npos) {
    fmt::print(stderr,
               "tally record: cannot preload {}: LD_PRELOAD cannot hold a path with spaces or "
               "colons; processes that end with _exit() may lose their calls of the last {} "
               "ms\n",
               library, Session::flush_ms);
    return {};
  }
  return preload && *preload ? std::string(preload) + ":" + library : library;
}

// Runs `command` in session `status`; returns its exit status.
int run_command(const std::vector<std::string>& command, const SessionStatus& session,
                bool preload) {
  // Like a shell, leave the terminal's interrupt to the command, and pass
  // on the signals that are sent to tally alone.
  struct sigaction ignore {}, forward {}, old_int {}, old_quit {};
  ignore.sa_handler = SIG_IGN;
  forward.sa_handler = forward_signal;
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  sigaction(SIGTERM, &forward, nullptr);
  sigaction(SIGHUP, &forward, nullptr);

  std::fflush(nullptr);
  g_child = fork();
  if (g_child < 0) throw std::runtime_error(std::string("cannot fork: ") + std::strerror(errno));
  if (g_child == 0) {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    setenv("TALLY_SESSION", session.name.c_str(), 1);
    setenv("TALLY_SESSION_ID", session.id.c_str(), 1);
    if (std::string value = preload ? preload_with_exit_library() : ""; !value.empty())
      setenv("LD_PRELOAD", value.c_str(), 1);
    std::vector<char*> argv;
    for (const std::string& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    fmt::print(stderr, "tally record: cannot run {}: {}\n", command[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(g_child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

int record(const std::vector<std::string>& arguments) {
  Args args(arguments, {"--session", "--size", "-o", "--output"}, {"--no-preload"});
  if (!args.positional().empty())
    throw UsageError("unexpected argument " + args.positional()[0] +
                     "; the command goes after --: tally record -- ctest -j2");
  if (!args.has_rest() || args.rest().empty())
    throw UsageError("no command to run: give it after --, as in tally record -- ctest -j2");
  std::string name = args.value("--session").value_or("record-" + std::to_string(getpid()));
  std::uint64_t size = args.size("--size").value_or(Session::default_size);
  std::string output = args.value("-o").value_or(args.value("--output").value_or("tally.json"));

  std::string stale;
  Session session = Session::create(name, size, &stale);
  struct Remove {
    Session& session;
    ~Remove() {
      try {
        session.remove();
      } catch (const std::exception&) {  // the report is what matters now
      }
    }
  } remove{session};
  if (!stale.empty()) fmt::print(stderr, "tally record: {}\n", stale);

  Report report;
  report.recorded = true;
  report.recording.command = args.rest();
  report.recording.exit_code =
      run_command(args.rest(), session.status(), !args.flag("--no-preload"));
  session.close();
  SessionStatus status = session.status();
  report.recording.processes = status.processes;
  report.recording.left_out = status.refused;
  report.functions = session.functions();
  report.call_sites = session.call_sites();

  if (std::string error = write_report(output, report); !error.empty()) {
    fmt::print(stderr, "tally record: {}; the calls are lost\n", error);
    return kUsageError;
  }
  std::uint64_t called = 0, calls = 0;
  for (const Entry& e : report.functions) {
    called += e.count != 0;
    calls += e.count;
  }
  fmt::print(stderr,
             "tally record: {} instrumented process{}, {} of {} functions called, {} call{}; "
             "wrote {}\n",
             status.processes, status.processes == 1 ? "" : "es", called,
             report.functions.size(), with_commas(calls), calls == 1 ? "" : "s", output);
  if (status.processes == 0)
    fmt::print(stderr,
               "tally record: no instrumented process ran; is the command built with the "
               "tally plugin (cmake -DTALLY_INSTRUMENT=ON)?\n");
  if (status.refused) {
    fmt::print(stderr,
               "tally record: the session was full: {} module{} of its processes could not be "
               "recorded, so the report misses their calls; record again with a larger "
               "segment: --size {}\n",
               status.refused, status.refused == 1 ? "" : "s", detail::segment::size_text(size * 4));
    if (report.recording.exit_code == 0) return 3;
  }
  return report.recording.exit_code;
}

}  // namespace

int run_record(const std::vector<std::string>& args) { return guarded("record", record, args); }

}  // namespace tally::tool
