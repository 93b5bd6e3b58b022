// tally: target.cpp is compiled with the plugin; the counts come from a
// tally::Profiler, as tally::profile() takes them.
#include <tally/tally.hpp>

#include <optional>

#include "target.hpp"

namespace bench {
namespace {
std::optional<tally::Profiler> g_profiler;
}

void start_counting() {
  g_profiler.reset();
  g_profiler.emplace();
}

std::uint64_t counted_calls() {
  tally::Profile p = g_profiler->calls();
  return p.count("bench::work_a") + p.count("bench::work_b");
}

#ifndef BENCH_COUNTER_NAME
#define BENCH_COUNTER_NAME "tally"
#endif
const char* counter_name() { return BENCH_COUNTER_NAME; }

}  // namespace bench
