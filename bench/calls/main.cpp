// The driver of bench/calls, linked once with each way of counting.
//
//   calls_<way> [benchmark flags]   Google Benchmark: time per call in four
//                                   situations
//   calls_<way> --loop N            calls work_a N times, for callgrind
//   calls_<way> --check N           2 threads call work_a N times each;
//                                   prints how many calls were counted
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <thread>

#include "target.hpp"

// Where the counted functions are: in this executable (the default), in a
// shared library it is linked with (the same code), or in a library loaded
// with dlopen (BENCH_DLOPEN: the functions are called through pointers
// from dlsym).
#ifdef BENCH_DLOPEN
#include <dlfcn.h>

namespace loaded {
int (*work_a)(int);
int (*work_b)(int);
void (*start_counting)();
std::uint64_t (*counted_calls)();
const char* (*counter_name)();

template <class F>
void find(void* library, const char* symbol, F& f) {
  f = reinterpret_cast<F>(dlsym(library, symbol));
  if (!f) {
    std::fprintf(stderr, "calls: %s not found in %s\n", symbol, BENCH_LIBRARY);
    std::exit(1);
  }
}

void load() {
  void* library = dlopen(BENCH_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    std::fprintf(stderr, "calls: %s\n", dlerror());
    std::exit(1);
  }
  find(library, "_ZN5bench6work_aEi", work_a);
  find(library, "_ZN5bench6work_bEi", work_b);
  find(library, "_ZN5bench14start_countingEv", start_counting);
  find(library, "_ZN5bench13counted_callsEv", counted_calls);
  find(library, "_ZN5bench12counter_nameEv", counter_name);
}
}  // namespace loaded
#define BENCH(f) loaded::f
#else
#define BENCH(f) bench::f
#endif

namespace {

// One thread calls work_a.
void one_thread(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) x = BENCH(work_a)(x);
  benchmark::DoNotOptimize(x);
}
BENCHMARK(one_thread);

// One thread calls work_a while a second thread of the process waits: what
// one thread pays in a program that has started threads (glibc makes a
// mutex cheaper while a process has a single thread).
void one_thread_another_waiting(benchmark::State& state) {
  std::promise<void> stop;
  std::thread waiting([done = stop.get_future()] { done.wait(); });
  int x = 0;
  for (auto _ : state) x = BENCH(work_a)(x);
  benchmark::DoNotOptimize(x);
  stop.set_value();
  waiting.join();
}
BENCHMARK(one_thread_another_waiting);

// Two threads call the same function: one counter, both threads.
void two_threads_same_function(benchmark::State& state) {
  int x = 0;
  for (auto _ : state) x = BENCH(work_a)(x);
  benchmark::DoNotOptimize(x);
}
BENCHMARK(two_threads_same_function)->Threads(2)->UseRealTime();

// Two threads call two different functions: two counters.
void two_threads_different_functions(benchmark::State& state) {
  int x = 0;
  if (state.thread_index() == 0) {
    for (auto _ : state) x = BENCH(work_a)(x);
  } else {
    for (auto _ : state) x = BENCH(work_b)(x);
  }
  benchmark::DoNotOptimize(x);
}
BENCHMARK(two_threads_different_functions)->Threads(2)->UseRealTime();

__attribute__((noinline)) int loop(long n) {
  int x = 0;
  for (long i = 0; i < n; ++i) x = BENCH(work_a)(x);
  return x;
}

int check(long n) {
  BENCH(start_counting)();
  std::thread a([n] { loop(n); });
  std::thread b([n] { loop(n); });
  a.join();
  b.join();
  unsigned long long counted = BENCH(counted_calls)();
  std::printf("%s: %ld calls, %llu counted\n", BENCH(counter_name)(), 2 * n, counted);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef BENCH_DLOPEN
  loaded::load();
#endif
  if (argc == 3 && std::strcmp(argv[1], "--loop") == 0) {
    benchmark::DoNotOptimize(loop(std::atol(argv[2])));
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "--check") == 0) return check(std::atol(argv[2]));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("counter", BENCH(counter_name)());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
