// A program that knows nothing of tally loads an instrumented library with
// dlopen(), and so libtally, while threads it started earlier wait: those
// threads' calls count exactly too, and loading needs only what glibc keeps
// free for libraries loaded late (libtally's 8 bytes of static TLS).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace {

TEST(LateLibtally, ThreadsStartedBeforeTheLoadCountExactly) {
  ASSERT_EQ(dlsym(RTLD_DEFAULT, "__tally_register"), nullptr)
      << "this program must not be linked with libtally";
  std::atomic<int (*)(int)> work{nullptr};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      int (*f)(int) = nullptr;
      while (!(f = work.load())) std::this_thread::yield();
      f(10000);
    });
  void* library = dlopen(LATE_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr) << dlerror();
  auto start = reinterpret_cast<void (*)()>(dlsym(library, "late_start"));
  auto calls = reinterpret_cast<std::uint64_t (*)()>(dlsym(library, "late_leaf_calls"));
  auto late_work = reinterpret_cast<int (*)(int)>(dlsym(library, "late_work"));
  ASSERT_TRUE(start && calls && late_work);
  start();
  work = late_work;
  for (std::thread& t : threads) t.join();
  late_work(5);
  EXPECT_EQ(calls(), 40005u);
  // A thread that counted and outlives the library's dlclose() ends after
  // it, when libtally's end-of-thread code runs: libtally stays loaded.
  std::atomic<bool> called{false}, closed{false};
  std::thread outliving([&] {
    late_work(1);
    called = true;
    while (!closed.load()) std::this_thread::yield();
  });
  while (!called.load()) std::this_thread::yield();
  EXPECT_EQ(dlclose(library), 0);
  closed = true;
  outliving.join();
}

}  // namespace
