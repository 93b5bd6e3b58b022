// The soak test of sessions: what each process of a run does, derived from
// a seed alone, so that a run repeats exactly and the driver knows, before
// it starts, every process that will take part and how each one ends.
//
// A process runs `threads` threads; each makes `calls` calls to the
// instrumented functions (soak::f0 ... soak::f11 in a shared library,
// soak::g0 ... soak::g3 in the executable), chosen by its own generator.
// One thread may fork() at one of its calls while the others run; the
// child runs a plan of its own.  Then the process ends in its way: return
// from main, _exit(), or, with its threads stopped where their calls ran
// out, a segmentation fault, abort(), SIGKILL or SIGTERM.
#ifndef TALLY_TESTS_SOAK_PLAN_HPP_
#define TALLY_TESTS_SOAK_PLAN_HPP_

#include <signal.h>    // SIGSEGV, ...
#include <sys/wait.h>  // WIFEXITED, ...

#include <cstdint>  // std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

namespace soak {

inline constexpr int kShared = 12;  // soak::f0 ... f11, in libtally_soak_counted
inline constexpr int kStatic = 4;   // soak::g0 ... g3, in the worker
inline constexpr int kFunctions = kShared + kStatic;
inline constexpr int kMaxDepth = 2;  // a child of a child forks no more

enum class Ending { exit, quick_exit, segv, abort, kill, term };

inline const char* ending_name(Ending e) {
  switch (e) {
    case Ending::exit: return "exit";
    case Ending::quick_exit: return "_exit";
    case Ending::segv: return "SIGSEGV";
    case Ending::abort: return "abort";
    case Ending::kill: return "SIGKILL";
    case Ending::term: return "SIGTERM";
  }
  return "?";
}

// The ending that stops the threads where they are, rather than joining them.
inline bool stops_threads(Ending e) { return e != Ending::exit && e != Ending::quick_exit; }

// Whether a wait() status is what `e` makes.
inline bool ended_as_planned(int status, Ending e) {
  auto signal_of = [](Ending e) {
    switch (e) {
      case Ending::segv: return SIGSEGV;
      case Ending::abort: return SIGABRT;
      case Ending::kill: return SIGKILL;
      case Ending::term: return SIGTERM;
      default: return 0;
    }
  };
  if (!stops_threads(e)) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return WIFSIGNALED(status) && WTERMSIG(status) == signal_of(e);
}

inline std::string status_text(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// splitmix64: a seed's sequence, the same on every machine.
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
};

struct ThreadPlan {
  std::uint64_t seed;   // of the functions it calls
  std::uint32_t calls;  // how many calls it makes
};

struct Plan {
  std::uint64_t seed = 0;
  int depth = 0;  // 0: started by the launcher; 1: its forked child; ...
  Ending ending = Ending::exit;
  std::vector<ThreadPlan> threads;
  int last_thread = 0;  // with stops_threads(ending): the one that ends the process
  bool forks = false;
  int fork_thread = 0;
  std::uint32_t fork_after = 0;  // the fork comes after this many of its calls
  std::uint64_t child_seed = 0;
};

inline Plan make_plan(std::uint64_t seed, int depth, int threads) {
  Random r{seed};
  Plan p;
  p.seed = seed;
  p.depth = depth;
  // Weights out of 12: exit 3, _exit 2, SIGSEGV 2, abort 2, SIGKILL 2, SIGTERM 1.
  static constexpr Ending endings[12] = {
      Ending::exit,  Ending::exit,  Ending::exit, Ending::quick_exit, Ending::quick_exit,
      Ending::segv,  Ending::segv,  Ending::abort, Ending::abort,     Ending::kill,
      Ending::kill,  Ending::term};
  p.ending = endings[r.below(12)];
  for (int t = 0; t < threads; ++t) p.threads.push_back({r.next(), 1 + r.below(200000)});
  p.last_thread = static_cast<int>(r.below(static_cast<std::uint32_t>(threads)));
  // A third of the launcher's processes fork, a sixth of their children.
  p.forks = depth < kMaxDepth && r.below(6) < static_cast<std::uint32_t>(depth == 0 ? 2 : 1);
  p.fork_thread = static_cast<int>(r.below(static_cast<std::uint32_t>(threads)));
  p.fork_after = 1 + r.below(p.threads[p.fork_thread].calls);
  p.child_seed = r.next();
  return p;
}

// The seed of the launcher's process `i` in the run of `seed`.
inline std::uint64_t process_seed(std::uint64_t seed, std::uint64_t i) {
  Random r{seed * 1000003u + i};
  return r.next();
}

// Every process that the plan of `seed` makes, itself first.
inline void every_plan(std::uint64_t seed, int depth, int threads, std::vector<Plan>& out) {
  out.push_back(make_plan(seed, depth, threads));
  if (out.back().forks) every_plan(out.back().child_seed, depth + 1, threads, out);
}

}  // namespace soak

#endif  // TALLY_TESTS_SOAK_PLAN_HPP_
