// -fsanitize-coverage=func,inline-8bit-counters: one 8-bit counter per
// function, incremented without a lock.  Cheap, but counts wrap at 256 and
// concurrent increments can be lost: not exact.
#include <cstdint>
#include <vector>

#include "target.hpp"

namespace {
std::uint8_t* g_begin = nullptr;
std::uint8_t* g_end = nullptr;
std::vector<std::uint8_t> g_start;
}  // namespace

extern "C" void __sanitizer_cov_8bit_counters_init(char* begin, char* end) {
  g_begin = reinterpret_cast<std::uint8_t*>(begin);
  g_end = reinterpret_cast<std::uint8_t*>(end);
}

namespace bench {

void start_counting() { g_start.assign(g_begin, g_end); }

// What the counters say: each counter's rise, modulo 256.
std::uint64_t counted_calls() {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < g_start.size(); ++i)
    total += static_cast<std::uint8_t>(g_begin[i] - g_start[i]);
  return total;
}
const char* counter_name() { return "-fsanitize-coverage (8-bit)"; }

}  // namespace bench
