// An instrumented library that a program without tally loads with dlopen():
// libtally comes with it, into threads that exist already.
#include <cstdint>
#include <optional>

#include "tally/tally.hpp"

namespace late {
__attribute__((noinline)) int leaf(int x) { return x + 1; }
}  // namespace late

namespace {
std::optional<tally::Profiler> g_profiler;  // destroyed when the library unloads
}  // namespace

extern "C" int late_work(int n) {
  int x = 0;
  for (int i = 0; i < n; ++i) x = late::leaf(x);
  return x;
}

// A profile that starts here and is read by late_leaf_calls().
extern "C" void late_start() {
  g_profiler.emplace();
}

extern "C" std::uint64_t late_leaf_calls() { return g_profiler->calls().count("late::leaf"); }
