// Threads with small stacks, and many threads at once, in a program with
// 20,000 instrumented functions: tally's counters take no room on a
// thread's stack, and every call counts.
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "many.hpp"
#include "tally/tally.hpp"

namespace {

void* call_every_function(void*) {
  for (int i = 0; i < many::count(); ++i) many::call(i, i);
  return nullptr;
}

TEST(Many, TheProgramHasTwentyThousandInstrumentedFunctions) {
  EXPECT_EQ(many::count(), 20000);
  EXPECT_GE(tally::registered_functions().size(), 20000u);
}

// Checks that p counted each of the library's functions `times` times.
void expect_every_function(const tally::Profile& p, std::uint64_t times) {
  std::uint64_t total = 0;
  for (const tally::Entry& e : p)
    if (e.name.rfind("many::f", 0) == 0) {
      ASSERT_EQ(e.count, times) << e.signature;
      total += e.count;
    }
  EXPECT_EQ(total, times * 20000);
}

TEST(Many, AThreadWithATwicePthreadStackMinStackStartsAndCounts) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 2 * PTHREAD_STACK_MIN), 0);
  tally::Profile p = tally::profile([&] {
    pthread_t thread;
    ASSERT_EQ(pthread_create(&thread, &attr, call_every_function, nullptr), 0);
    pthread_join(thread, nullptr);
  });
  pthread_attr_destroy(&attr);
  expect_every_function(p, 1);
}

TEST(Many, AThreadOnAStackOfTheProgramsOwnStartsAndCounts) {
  std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::size_t size = 2 * PTHREAD_STACK_MIN;
  void* stack = std::aligned_alloc(page, size);
  ASSERT_NE(stack, nullptr);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  ASSERT_EQ(pthread_attr_setstack(&attr, stack, size), 0);
  tally::Profile p = tally::profile([&] {
    pthread_t thread;
    ASSERT_EQ(pthread_create(&thread, &attr, call_every_function, nullptr), 0);
    pthread_join(thread, nullptr);
  });
  pthread_attr_destroy(&attr);
  std::free(stack);
  expect_every_function(p, 1);
}

TEST(Many, AThousandThreadsAtOnceCallEveryFunction) {
  constexpr int kThreads = 1000;
  std::atomic<int> started{0};
  tally::Profile p = tally::profile([&] {
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        started.fetch_add(1);
        while (started.load() < kThreads) std::this_thread::yield();  // all alive at once
        call_every_function(nullptr);
      });
    for (std::thread& t : threads) t.join();
  });
  expect_every_function(p, kThreads);
}

}  // namespace
