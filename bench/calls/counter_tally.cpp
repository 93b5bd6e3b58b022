// tally: target.cpp is compiled with the plugin; the counts come from the
// runtime's snapshots, as tally::profile() takes them.
#include <tally/tally.hpp>

#include "target.hpp"

namespace bench {
namespace {
tally::detail::Snapshot g_start;
}

void start_counting() {
  tally::detail::prepare(g_start);
  tally::detail::read(g_start);
}

std::uint64_t counted_calls() {
  tally::detail::Snapshot now;
  tally::detail::prepare(now);
  tally::detail::read(now);
  tally::Profile p = tally::detail::difference(g_start, now);
  return p.count("bench::work_a") + p.count("bench::work_b");
}

const char* counter_name() { return "tally"; }

}  // namespace bench
