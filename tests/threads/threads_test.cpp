// Per-thread counters: every thread's calls count exactly, whatever becomes
// of the thread, in signal handlers, across fork() and in modules that are
// loaded and unloaded.  Built with the code under test at -O0 to -O3.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "counted.hpp"
#include "tally/tally.hpp"

namespace {

// The threads a program starts, and the one that loaded libtally, count in
// their own mirrors from their first call: nothing goes the locked way.
TEST(Threads, ThreadsTheProgramStartsCountWithoutTheLock) {
  unsigned long long before = counted::locked_calls();
  tally::Profile p = tally::profile([] {
    counted::calls(10);
    std::thread([] { counted::calls(100); }).join();
    std::async(std::launch::async, [] { return counted::calls(1000); }).get();
    pthread_t thread;
    ASSERT_EQ(pthread_create(
                  &thread, nullptr,
                  [](void*) -> void* {
                    counted::calls(10000);
                    return nullptr;
                  },
                  nullptr),
              0);
    ASSERT_EQ(pthread_join(thread, nullptr), 0);
  });
  EXPECT_EQ(p.count("counted::leaf"), 11110u) << p;
  EXPECT_EQ(p.count("counted::calls"), 4u);
  EXPECT_EQ(counted::locked_calls(), before);
}

TEST(Threads, JoinedThreadsCountEveryCall) {
  tally::Profile p = tally::profile([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) threads.emplace_back([t] { counted::calls(1000 + t); });
    for (std::thread& t : threads) t.join();
  });
  EXPECT_EQ(p.count("counted::leaf"), 8u * 1000 + 28) << p;
  EXPECT_EQ(p.count("counted::calls"), 8u);
}

TEST(Threads, AThreadThatCallsPthreadExitInTheMiddleCounts) {
  tally::Profile p = tally::profile([] {
    pthread_t thread;
    ASSERT_EQ(pthread_create(
                  &thread, nullptr,
                  [](void*) -> void* {
                    counted::exit_after(77);
                    return nullptr;  // never reached
                  },
                  nullptr),
              0);
    ASSERT_EQ(pthread_join(thread, nullptr), 0);
  });
  EXPECT_EQ(p.count("counted::exit_after"), 1u) << p;
  EXPECT_EQ(p.count("counted::leaf"), 77u);
}

TEST(Threads, DetachedThreadsThatFinishedCount) {
  std::atomic<int> finished{0};
  tally::Profile p = tally::profile([&] {
    for (int t = 0; t < 4; ++t)
      std::thread([&] {
        counted::calls(250);
        finished.fetch_add(1, std::memory_order_release);
      }).detach();
    while (finished.load(std::memory_order_acquire) < 4) std::this_thread::yield();
  });
  EXPECT_EQ(p.count("counted::leaf"), 1000u) << p;
}

TEST(Threads, AsyncTasksCount) {
  tally::Profile p = tally::profile([] {
    std::vector<std::future<int>> tasks;
    for (int t = 0; t < 6; ++t)
      tasks.push_back(std::async(std::launch::async, [] { return counted::calls(100); }));
    for (auto& task : tasks) task.get();
  });
  EXPECT_EQ(p.count("counted::leaf"), 600u) << p;
  EXPECT_EQ(p.count("counted::calls"), 6u);
}

// A pool whose workers outlive the profile: what they did before the
// profile ended counts, once all their tasks are done.
class Pool {
 public:
  explicit Pool(int workers) {
    for (int w = 0; w < workers; ++w)
      threads_.emplace_back([this] {
        for (;;) {
          std::function<void()> task;
          {
            std::unique_lock<std::mutex> lock(mutex_);
            ready_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
            if (tasks_.empty()) return;
            task = std::move(tasks_.front());
            tasks_.pop();
          }
          task();
          std::lock_guard<std::mutex> lock(mutex_);
          if (--pending_ == 0) idle_.notify_all();
        }
      });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  void run(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push(std::move(task));
    ++pending_;
    ready_.notify_one();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, idle_;
  std::queue<std::function<void()>> tasks_;
  int pending_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

TEST(Threads, ThreadPoolTasksCount) {
  Pool pool(3);
  tally::Profile p = tally::profile([&] {
    for (int t = 0; t < 30; ++t) pool.run([] { counted::calls(10); });
    pool.wait();
  });
  EXPECT_EQ(p.count("counted::leaf"), 300u) << p;
  EXPECT_EQ(p.count("counted::calls"), 30u);
  // A second profile sees only its own tasks, on the same threads.
  tally::Profile q = tally::profile([&] {
    for (int t = 0; t < 5; ++t) pool.run([] { counted::calls(3); });
    pool.wait();
  });
  EXPECT_EQ(q.count("counted::leaf"), 15u) << q;
}

TEST(Threads, ManyShortThreadsOneAfterAnother) {
  // Each thread that ends hands its counters to the next one.
  tally::Profile p = tally::profile([] {
    for (int t = 0; t < 200; ++t) std::thread([] { counted::calls(5); }).join();
  });
  EXPECT_EQ(p.count("counted::leaf"), 1000u) << p;
  EXPECT_EQ(p.count("counted::calls"), 200u);
}

// ---- Signals ----

std::atomic<int> g_handler_calls{0};

void count_in_handler(int) {
  counted::calls(3);
  counted::spin(2);
  g_handler_calls.fetch_add(1, std::memory_order_relaxed);
}

// count_in_handler() handles `sig` while it lives.
struct CountingHandler {
  explicit CountingHandler(int sig) : sig(sig) {
    struct sigaction action {};
    action.sa_handler = count_in_handler;
    sigemptyset(&action.sa_mask);
    installed = sigaction(sig, &action, &previous) == 0;
    g_handler_calls = 0;
  }
  ~CountingHandler() { sigaction(sig, &previous, nullptr); }
  int sig;
  bool installed;
  struct sigaction previous {};
};

TEST(Signals, AHandlerThatCallsTheInterruptedFunctionLosesNoCount) {
  CountingHandler handler(SIGUSR1);
  ASSERT_TRUE(handler.installed);
  std::atomic<bool> running{true};
  pthread_t target = pthread_self();
  // At least 200 loops, and more until a signal was handled (the
  // signalling thread may not run at all before 200 loops end, on a busy
  // machine), but never more than 200,000.
  constexpr long kLoops = 200;
  constexpr long kMostLoops = 200000;
  long loops = 0;
  tally::Profile p = tally::profile([&] {
    std::thread signaller([&] {
      while (running.load()) {
        pthread_kill(target, SIGUSR1);
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
    });
    for (; loops < kLoops || (g_handler_calls.load() == 0 && loops < kMostLoops); ++loops) {
      counted::calls(20000);
      counted::spin(20000);
    }
    running = false;
    signaller.join();
    // A signal sent last is pending on this thread now, if it was not
    // handled yet: a system call's return delivers it, inside the profile.
    sched_yield();
  });
  const std::uint64_t handled = g_handler_calls.load();
  EXPECT_GT(handled, 0u);
  EXPECT_EQ(p.count("counted::leaf"), loops * 20000 + handled * 3) << p;
  EXPECT_EQ(p.count("counted::calls"), loops + handled);
  EXPECT_EQ(p.count("counted::spin"), loops + handled);
  EXPECT_EQ(p.count("counted::(anonymous namespace)::step"), loops * 20000 + handled * 2);
}

TEST(Signals, AThreadWhoseFirstCallIsInAHandlerCounts) {
  CountingHandler handler(SIGUSR2);
  ASSERT_TRUE(handler.installed);
  tally::Profile p = tally::profile([] {
    std::atomic<bool> signalled{false};
    std::thread fresh([&] {
      while (!signalled.load()) std::this_thread::yield();
    });
    pthread_kill(fresh.native_handle(), SIGUSR2);
    while (g_handler_calls.load() == 0) std::this_thread::yield();
    signalled = true;
    fresh.join();
  });
  EXPECT_EQ(p.count("counted::leaf"), 3u) << p;
  EXPECT_EQ(p.count("counted::spin"), 1u);
}

// ---- fork ----
#ifndef THREADS_TEST_WITHOUT_FORK

volatile sig_atomic_t g_forked_child = 0;

}  // namespace

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
// LeakSanitizer cannot judge a child forked while other threads ran: the
// child has only the forking thread, so what the others held at the fork
// (here the reader's half-made list of functions, on its stack) is
// unreachable in it, and LeakSanitizer says so itself ("Running thread ...
// was not suspended. False leaks are possible."). The parent, which has
// the threads, is checked.
extern "C" int __lsan_is_turned_off() { return g_forked_child; }
// Clang 14's AddressSanitizer runtime installs no fork handler (Clang 19's
// locks its allocator across fork()): a child forked while the reader
// thread is inside the sanitizer's allocator inherits that lock held and
// hangs at its first allocation, in the sanitizer, before tally runs.
#if __clang_major__ < 19
#define THREADS_TEST_FORK_HANGS_IN_THE_SANITIZER 1
#endif
#endif
#endif

// A fork of a ThreadSanitizer process takes about a second (200 forks
// took 202 s here): fewer forks there.  Clang 14's ThreadSanitizer runtime,
// like its AddressSanitizer runtime, does not lock its allocator across
// fork() either (LLVM added that to ThreadSanitizer in 2024, in time for
// Clang 19): a child forked while the reader allocates can hang in the
// sanitizer's allocator, before tally runs.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define THREADS_TEST_SLOW_FORK 1
#if __clang_major__ < 19
#define THREADS_TEST_FORK_HANGS_IN_THE_SANITIZER 1
#endif
#endif
#endif
#ifdef THREADS_TEST_SLOW_FORK
constexpr int kForks = 25;
#else
constexpr int kForks = 200;
#endif

namespace {

// A child forked while another thread reads the counters neither hangs at
// exit (the reader's hold on the modules is not the child's) nor counts
// its parent's calls.
TEST(Fork, ChildrenForkedWhileAnotherThreadReadsNeitherHangNorCountTheParent) {
#ifdef THREADS_TEST_FORK_HANGS_IN_THE_SANITIZER
  GTEST_SKIP() << "this sanitizer runtime does not lock its allocator across fork(); "
                  "the plain builds and Clang 19's sanitizer builds run this test";
#endif
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    while (reading.load()) (void)tally::registered_functions();
  });
  std::thread caller([&] {
    while (reading.load()) counted::calls(10);
  });
  int wrong = 0;
  for (int i = 0; i < kForks; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      g_forked_child = 1;
      tally::Profile child = tally::profile([] { counted::calls(4); });
      // exit() unregisters every module: it must not wait for the reader.
      std::exit(child.count("counted::leaf") == 4 && child.count("counted::calls") == 1 ? 0 : 1);
    }
    int status = 0;
    pid_t waited = 0;
    for (int ms = 0; ms < 10000 && (waited = waitpid(pid, &status, WNOHANG)) == 0; ++ms)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (waited == 0) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << "child " << i << " hung at exit";
      break;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++wrong;
  }
  reading = false;
  reader.join();
  caller.join();
  EXPECT_EQ(wrong, 0) << "children whose counts were wrong";
}

#endif  // THREADS_TEST_WITHOUT_FORK

// ---- dlopen ----

using Work = int (*)(int);

TEST(Dlopen, ALoadedLibraryCalledFromThreadsCountsExactlyAndUnloads) {
  for (int round = 0; round < 3; ++round) {
    void* handle = dlopen(THREADS_LOADABLE_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr) << dlerror();
    auto work = reinterpret_cast<Work>(dlsym(handle, "threads_loadable_work"));
    ASSERT_NE(work, nullptr);
    tally::Profile p = tally::profile([&] {
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) threads.emplace_back([&] { work(5000); });
      for (std::thread& t : threads) t.join();
      work(1);
    });
    EXPECT_EQ(p.count("loadable::leaf"), 20001u) << "round " << round << "\n" << p;
    EXPECT_EQ(p.count("threads_loadable_work"), 5u);
    ASSERT_EQ(dlclose(handle), 0);
    // Between profiles, with the library gone, nothing is left of it.
    tally::Profile empty = tally::profile([] {});
    EXPECT_EQ(empty.count("loadable::leaf"), 0u) << empty;
  }
}

TEST(Dlopen, ALibraryLoadedAndUnloadedDuringAProfileWhileThreadsCall) {
  tally::Profile p = tally::profile([] {
    for (int round = 0; round < 3; ++round) {
      void* handle = dlopen(THREADS_LOADABLE_PATH, RTLD_NOW | RTLD_LOCAL);
      ASSERT_NE(handle, nullptr) << dlerror();
      auto work = reinterpret_cast<Work>(dlsym(handle, "threads_loadable_work"));
      std::vector<std::thread> threads;
      for (int t = 0; t < 3; ++t) threads.emplace_back([&] { work(100); });
      for (std::thread& t : threads) t.join();
      ASSERT_EQ(dlclose(handle), 0);
    }
    counted::calls(2);
  });
  // The library's calls went with it; the rest is exact.
  EXPECT_EQ(p.count("loadable::leaf"), 0u) << p;
  EXPECT_EQ(p.count("counted::leaf"), 2u);
  // Loaded again, it starts from zero in every thread.
  void* handle = dlopen(THREADS_LOADABLE_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  auto work = reinterpret_cast<Work>(dlsym(handle, "threads_loadable_work"));
  tally::Profile q = tally::profile([&] {
    std::thread([&] { work(7); }).join();
  });
  EXPECT_EQ(q.count("loadable::leaf"), 7u) << q;
  dlclose(handle);
}

}  // namespace
