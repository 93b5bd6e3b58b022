// An instrumented library that a program without tally loads with dlopen():
// libtally comes with it, into threads that exist already.
#include <cstdint>

#include "tally/tally.hpp"

namespace late {
__attribute__((noinline)) int leaf(int x) { return x + 1; }
}  // namespace late

namespace {
tally::Profiler* g_profiler = nullptr;
}  // namespace

extern "C" int late_work(int n) {
  int x = 0;
  for (int i = 0; i < n; ++i) x = late::leaf(x);
  return x;
}

// A profile that starts here and is read by late_leaf_calls().
extern "C" void late_start() {
  delete g_profiler;
  g_profiler = new tally::Profiler;
}

extern "C" std::uint64_t late_leaf_calls() { return g_profiler->calls().count("late::leaf"); }
