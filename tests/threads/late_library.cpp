// An instrumented library that a program without tally loads with dlopen():
// libtally comes with it, into threads that exist already.
#include <cstdint>

#include "tally/tally.hpp"

namespace late {
__attribute__((noinline)) int leaf(int x) { return x + 1; }
}  // namespace late

namespace {
tally::detail::Snapshot g_start;
}  // namespace

extern "C" int late_work(int n) {
  int x = 0;
  for (int i = 0; i < n; ++i) x = late::leaf(x);
  return x;
}

extern "C" void late_start() {
  tally::detail::prepare(g_start);
  tally::detail::read(g_start);
}

extern "C" std::uint64_t late_leaf_calls() {
  tally::detail::Snapshot now;
  tally::detail::prepare(now);
  tally::detail::read(now);
  return tally::detail::difference(g_start, now).count("late::leaf");
}
