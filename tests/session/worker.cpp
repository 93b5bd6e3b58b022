// A program for the session tests: it calls work::tick() a known number of
// times, then ends in the way its first argument says.
//   calls N            N calls, then returns from main
//   threads T N        T threads of N calls each
//   fork A B C         A calls, fork; the child makes B calls and _exit()s,
//                      the parent C calls after the child ended
//   fork_segv A B      A calls, fork; the child makes B calls and dies of
//                      SIGSEGV, which the parent checks
//   segv N | abort N | exit_now N
//                      N calls, then SIGSEGV, abort() or _exit(0)
//   kill N             N calls, waits 3 flush intervals, then SIGKILL
//   fork_exec N        fork; the child runs /bin/true; then N calls
//   sigwait N          blocks SIGTERM, N calls, sends itself SIGTERM and
//                      takes it with sigwait()
//   forks K            K children one after another, each with 1 call
//   sleep N S          N calls, then sleeps S seconds
//   exit_after N MS    N calls, sleeps MS milliseconds, then _exit(0)
//   vfork A B          A calls, vfork; the child _exit()s at once; B calls
//   mapped N           N calls, then prints how many session segments the
//                      process has mapped
//   term_siginfo N     N calls, then SIGTERM, whose action, set before any
//                      library's constructor ran, is the default one with
//                      SA_SIGINFO (as a one-shot SA_RESETHAND handler leaves it)
#include <pthread.h>   // pthread_sigmask
#include <signal.h>    // raise, kill, sigwait
#include <sys/wait.h>  // waitpid
#include <unistd.h>    // fork, vfork, _exit

#include <chrono>   // std::chrono
#include <cstdio>   // std::fprintf
#include <cstdlib>  // std::abort, std::atoi
#include <fstream>  // std::ifstream
#include <string>   // std::string
#include <thread>   // std::thread
#include <vector>   // std::vector

#include "counted.hpp"

namespace {

void ticks(long n) {
  for (long i = 0; i < n; ++i) work::tick();
}

// Runs before the constructors of shared libraries, libtally's among them.
void before_libraries(int argc, char** argv, char**) {
  if (argc > 1 && std::string(argv[1]) == "term_siginfo") {
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGTERM, &action, nullptr);
  }
}
__attribute__((section(".preinit_array"), used)) void (*const preinit)(int, char**, char**) =
    before_libraries;

bool wait_ok(pid_t child) {
  int status = 0;
  return waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  auto n = [&](std::size_t i) { return i < a.size() ? std::atol(a[i].c_str()) : 0L; };
  const std::string mode = a.empty() ? "" : a[0];
  if (mode == "calls") {
    ticks(n(1));
  } else if (mode == "threads") {
    std::vector<std::thread> threads;
    for (long t = 0; t < n(1); ++t) threads.emplace_back(ticks, n(2));
    for (std::thread& t : threads) t.join();
  } else if (mode == "fork") {
    ticks(n(1));
    pid_t child = fork();
    if (child == 0) {
      ticks(n(2));
      _exit(0);
    }
    if (!wait_ok(child)) return 1;
    ticks(n(3));
  } else if (mode == "fork_segv") {
    ticks(n(1));
    pid_t child = fork();
    if (child == 0) {
      ticks(n(2));
      volatile int* nowhere = nullptr;
      *nowhere = 1;
    }
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
      return 1;
  } else if (mode == "segv") {
    ticks(n(1));
    volatile int* nowhere = nullptr;
    *nowhere = 1;  // a real fault, not a signal sent
  } else if (mode == "abort") {
    ticks(n(1));
    std::abort();
  } else if (mode == "exit_now") {
    ticks(n(1));
    _exit(0);
  } else if (mode == "kill") {
    ticks(n(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    raise(SIGKILL);
  } else if (mode == "term_siginfo") {
    ticks(n(1));
    raise(SIGTERM);
  } else if (mode == "fork_exec") {
    pid_t child = fork();
    if (child == 0) {
      execl("/bin/true", "true", static_cast<char*>(nullptr));
      _exit(127);
    }
    if (!wait_ok(child)) return 1;
    ticks(n(1));
  } else if (mode == "sigwait") {
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, nullptr);
    ticks(n(1));
    kill(getpid(), SIGTERM);
    int sig = 0;
    if (sigwait(&term, &sig) != 0 || sig != SIGTERM) return 1;
  } else if (mode == "forks") {
    for (long k = 0; k < n(1); ++k) {
      pid_t child = fork();
      if (child == 0) {
        ticks(1);
        _exit(0);
      }
      if (!wait_ok(child)) return 1;
    }
  } else if (mode == "exit_after") {
    ticks(n(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(n(2)));
    _exit(0);
  } else if (mode == "vfork") {
    // A vfork() child that ends at once with _exit(): it shares the
    // memory of this process, and must leave its counts alone.
    ticks(n(1));
    pid_t child = vfork();
    if (child == 0) _exit(0);
    if (!wait_ok(child)) return 1;
    ticks(n(2));
  } else if (mode == "mapped") {
    // How many mappings of session segments the process has, after a call.
    ticks(n(1));
    std::ifstream maps("/proc/self/maps");
    int mapped = 0;
    for (std::string line; std::getline(maps, line);)
      if (line.find("/dev/shm/tally.") != std::string::npos) ++mapped;
    std::printf("segments mapped: %d\n", mapped);
  } else if (mode == "sleep") {
    ticks(n(1));
    std::this_thread::sleep_for(std::chrono::seconds(n(2)));
  } else {
    std::fprintf(stderr, "worker: unknown mode '%s'\n", mode.c_str());
    return 2;
  }
  return 0;
}
