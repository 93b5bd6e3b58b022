#include "counted.hpp"

#include <pthread.h>

#include "tally/detail/site.h"

// The module's records, which the linker brackets.
extern "C" const tally_site __start_tally_sites[] __attribute__((weak, visibility("hidden")));
extern "C" const tally_site __stop_tally_sites[] __attribute__((weak, visibility("hidden")));

namespace counted {

// (Unsigned arithmetic: the values wrap, which int may not.)
__attribute__((noinline)) int leaf(int x) { return static_cast<int>(3u * x + 1u); }

int calls(int n) {
  int x = 0;
  for (int i = 0; i < n; ++i) x = leaf(x);
  return x;
}

void exit_after(int n) {
  calls(n);
  pthread_exit(nullptr);
}

namespace {
// Counted, and inlined into spin().
inline int step(int x) { return static_cast<int>(5u * x + 2u); }
}  // namespace

int spin(long n) {
  int x = 0;
  for (long i = 0; i < n; ++i) x = step(x);
  return x;
}

unsigned long long locked_calls() {
  unsigned long long sum = 0;
  for (const tally_site* site = __start_tally_sites; site != __stop_tally_sites; ++site) {
    const char* field = reinterpret_cast<const char*>(&site->counter);
    sum += __atomic_load_n(reinterpret_cast<const unsigned long long*>(field + site->counter),
                           __ATOMIC_RELAXED);
  }
  return sum;
}

}  // namespace counted
