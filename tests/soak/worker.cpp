// A process of the soak test (plan.hpp): runs the plan of its seed, writes
// what it called to DIR/<pid>.counts, and ends as the plan says.
//
//   soak_worker SEED DEPTH THREADS DIR exact|lossy
//
// exact: before a SIGKILL, waits until the session holds every call the
// process made (its last flush), so that the recording must equal what it
// reports.  lossy (a full or damaged session): waits 3 flush intervals.
// Anything that goes wrong (a forked child that ends otherwise than its
// plan says, a flush that never comes) goes to DIR/<pid>.failure.
#include <dirent.h>    // opendir
#include <fcntl.h>     // shm_open
#include <sys/mman.h>  // mmap
#include <sys/stat.h>  // fstat
#include <sys/wait.h>  // waitpid
#include <unistd.h>    // fork, _exit

#include <chrono>              // std::chrono
#include <condition_variable>  // std::condition_variable
#include <cstdio>              // std::fopen
#include <cstdlib>             // std::abort, std::exit
#include <mutex>               // std::mutex
#include <new>                 // placement new
#include <string>              // std::string
#include <thread>              // std::thread
#include <vector>              // std::vector

#include "counted.hpp"
#include "plan.hpp"
#include "segment.h"  // runtime/src: the session's layout, to see the last flush

namespace {

std::string g_dir;
bool g_exact = true;
bool g_forked = false;  // a forked child
int g_threads = 0;

// made[t][f]: the calls of thread t to function f; only thread t writes its
// row, and the thread that ends the process reads them once all stopped.
std::uint64_t g_made[64][soak::kFunctions];

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  int stopped = 0;
  std::vector<std::pair<pid_t, soak::Plan>> children;
};
Shared g_shared_storage;
Shared* const g_shared = &g_shared_storage;

void fail(const std::string& what) {
  std::string path = g_dir + "/" + std::to_string(getpid()) + ".failure";
  if (FILE* f = std::fopen(path.c_str(), "a")) {
    std::fprintf(f, "%s\n", what.c_str());
    std::fclose(f);
  }
}

std::uint64_t total_made() {
  std::uint64_t total = 0;
  for (int t = 0; t < g_threads; ++t)
    for (std::uint64_t n : g_made[t]) total += n;
  return total;
}

void write_counts(const soak::Plan& plan) {
  std::string path = g_dir + "/" + std::to_string(getpid()) + ".counts";
  std::string temporary = path + ".new";
  FILE* f = std::fopen(temporary.c_str(), "w");
  if (!f) return fail("cannot write " + temporary);
  std::fprintf(f, "seed %llu depth %d ending %s\n",
               static_cast<unsigned long long>(plan.seed), plan.depth,
               soak::ending_name(plan.ending));
  for (int i = 0; i < soak::kFunctions; ++i) {
    std::uint64_t n = 0;
    for (int t = 0; t < g_threads; ++t) n += g_made[t][i];
    std::fprintf(f, "%s%d %llu\n", i < soak::kShared ? "f" : "g",
                 i < soak::kShared ? i : i - soak::kShared, static_cast<unsigned long long>(n));
  }
  if (std::fclose(f) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0)
    fail("cannot write " + path);
}

// This process's threads, as "name:state(wchan)" from /proc, for a failure.
std::string threads_now() {
  std::string all;
  DIR* tasks = opendir("/proc/self/task");
  if (!tasks) return all;
  while (dirent* e = readdir(tasks)) {
    if (e->d_name[0] == '.') continue;
    std::string dir = std::string("/proc/self/task/") + e->d_name + "/";
    auto first_line = [](const std::string& path) {
      std::string line;
      if (FILE* f = std::fopen(path.c_str(), "r")) {
        char buffer[256];
        if (std::fgets(buffer, sizeof buffer, f)) line = buffer;
        std::fclose(f);
      }
      while (!line.empty() && line.back() == '\n') line.pop_back();
      return line;
    };
    std::string stat = first_line(dir + "stat");
    std::size_t close = stat.rfind(')');
    all += " " + first_line(dir + "comm") + ":" +
           (close != std::string::npos && close + 2 < stat.size() ? stat.substr(close + 2, 1) : "?") +
           "(" + first_line(dir + "wchan") + ")";
  }
  closedir(tasks);
  return all;
}

// The calls this process's blocks in the session hold.
std::uint64_t recorded_calls() {
  const char* name = std::getenv("TALLY_SESSION");
  if (!name) return 0;
  int fd = shm_open(("/" + tally::detail::segment::object_name(name)).c_str(), O_RDONLY, 0);
  if (fd < 0) return 0;
  struct stat st {};
  void* base = fstat(fd, &st) == 0 ? mmap(nullptr, st.st_size, PROT_READ, MAP_SHARED, fd, 0)
                                   : MAP_FAILED;
  close(fd);
  if (base == MAP_FAILED) return 0;
  tally::detail::segment::Mapping mapping(base, st.st_size);
  std::uint64_t total = 0;
  const auto pid = static_cast<std::uint64_t>(getpid());
  mapping.walk<tally::detail::segment::Block>(
      __atomic_load_n(&mapping.header()->blocks, __ATOMIC_ACQUIRE),
      [&](std::uint64_t, const tally::detail::segment::Block& block) {
        if (block.pid == pid) {
          const auto* counts = reinterpret_cast<const std::uint64_t*>(&block + 1);
          for (std::uint64_t i = 0; i < block.functions; ++i)
            total += __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
        }
        return true;
      });
  munmap(base, st.st_size);
  return total;
}

void wait_for_children() {
  for (auto& [pid, plan] : g_shared->children) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
      fail("cannot wait for child " + std::to_string(pid));
    else if (!soak::ended_as_planned(status, plan.ending))
      fail("child " + std::to_string(pid) + " (seed " + std::to_string(plan.seed) +
           ") ended with " + soak::status_text(status) + ", not " +
           soak::ending_name(plan.ending));
  }
}

[[noreturn]] void end(const soak::Plan& plan) {
  wait_for_children();
  write_counts(plan);
  switch (plan.ending) {
    case soak::Ending::exit:
      std::exit(0);
    case soak::Ending::quick_exit:
      _exit(0);
    case soak::Ending::segv: {
      // A real fault, where no sanitizer looks: a page that cannot be written.
      void* page = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      *static_cast<volatile int*>(page) = 1;
      break;
    }
    case soak::Ending::abort:
      std::abort();
    case soak::Ending::kill: {
      if (g_exact) {
        std::uint64_t made = total_made();
        auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        for (std::uint64_t recorded; (recorded = recorded_calls()) != made;) {
          if (recorded > made || std::chrono::steady_clock::now() > give_up) {
            fail("the session holds " + std::to_string(recorded) + " calls of this process, which made " +
                 std::to_string(made) + " (seed " + std::to_string(plan.seed) + ", depth " +
                 std::to_string(plan.depth) + "; threads:" + threads_now() + ")");
            break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
      }
      raise(SIGKILL);
      break;
    }
    case soak::Ending::term: {
      raise(SIGTERM);
      // ThreadSanitizer delivers a signal sent to oneself at its next
      // interception, after raise() has returned.
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      break;
    }
  }
  fail(std::string("still running after ") + soak::ending_name(plan.ending));
  _exit(1);
}

[[noreturn]] void run(const soak::Plan& plan);

void calls(const soak::Plan& plan, int t) {
  soak::Random random{plan.threads[t].seed};
  const std::uint32_t n = plan.threads[t].calls;
  for (std::uint32_t k = 1; k <= n; ++k) {
    std::uint32_t f = random.below(soak::kFunctions);
    if (f < soak::kShared)
      soak::shared_functions[f]();
    else
      soak::static_functions[f - soak::kShared]();
    ++g_made[t][f];
    if (plan.forks && t == plan.fork_thread && k == plan.fork_after) {
      soak::Plan child = soak::make_plan(plan.child_seed, plan.depth + 1, g_threads);
      pid_t pid = fork();
      if (pid == 0) {
        // The only thread now: the counts so far are the parent's, and
        // the parent's threads may have held the lock.
        for (auto& row : g_made)
          for (std::uint64_t& c : row) c = 0;
        g_forked = true;
        new (&g_shared->mutex) std::mutex;
        new (&g_shared->changed) std::condition_variable;
        g_shared->stopped = 0;
        g_shared->children.clear();  // empty: a process forks once
        run(child);
      }
      if (pid < 0) {
        fail("cannot fork");
      } else {
        std::lock_guard<std::mutex> lock(g_shared->mutex);
        g_shared->children.emplace_back(pid, child);
      }
    }
  }
  if (!soak::stops_threads(plan.ending)) return;
  // Stop here; the last thread ends the process once all have stopped.
  std::unique_lock<std::mutex> lock(g_shared->mutex);
  ++g_shared->stopped;
  g_shared->changed.notify_all();
  if (t != plan.last_thread) {
    for (;;) g_shared->changed.wait(lock);
  }
  g_shared->changed.wait(lock, [&] { return g_shared->stopped == g_threads; });
  lock.unlock();
  end(plan);
}

[[noreturn]] void run(const soak::Plan& plan) {
  std::vector<std::thread> threads;
  for (int t = 0; t < g_threads; ++t) threads.emplace_back(calls, std::cref(plan), t);
  if (soak::stops_threads(plan.ending)) {
    for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
  }
  for (std::thread& t : threads) t.join();
  end(plan);
}

}  // namespace

// In a LeakSanitizer build: a forked child has only the thread that forked,
// so what the parent's other threads held is unreachable in it, and the
// leak check at its exit would report it ("Running thread ... was not
// suspended. False leaks are possible.").  The launcher's processes are
// checked.
extern "C" int __lsan_is_turned_off() { return g_forked; }

int main(int argc, char** argv) {
  if (argc != 6 || (std::string(argv[5]) != "exact" && std::string(argv[5]) != "lossy")) {
    std::fprintf(stderr, "usage: soak_worker SEED DEPTH THREADS DIR exact|lossy\n");
    return 2;
  }
  std::uint64_t seed = std::strtoull(argv[1], nullptr, 10);
  int depth = std::atoi(argv[2]);
  g_threads = std::atoi(argv[3]);
  g_dir = argv[4];
  g_exact = std::string(argv[5]) == "exact";
  if (g_threads < 1 || g_threads > 64) {
    std::fprintf(stderr, "soak_worker: THREADS is 1 to 64\n");
    return 2;
  }
  run(soak::make_plan(seed, depth, g_threads));
}
