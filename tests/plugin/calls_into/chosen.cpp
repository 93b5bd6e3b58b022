// Calls into chosen functions only: -fplugin-arg-tally-calls-into=<regex>
// after -fplugin-arg-tally-no-calls-into, which turns the default set off, -fplugin-arg-tally-not-into=<regex> leaving some
// out, and the standard library, which the default set leaves out, opted
// into by name, and so are a library's internal helpers.
#include <chrono>  // std::chrono::steady_clock
#include <cstdio>  // std::fopen

#include "vendor/vendor.hpp"

// calls into: 3 vendor::lookup(int)
// calls into: 1 vendor::detail::mix(int)
// calls into: 1 vendor::strings_internal::trim(int)
// calls into: 2 std::chrono::steady_clock::now()
// query: vendor::lookup = 3
// query: std::chrono::steady_clock::now = 2
// query: vendor::shared_twice = 0
// query: fopen = 0

volatile int sink;

void run() {  // calls: 1 run()
  int total = 0;
  for (int i = 0; i < 3; ++i) total += vendor::lookup(i);
  // A library's internal helpers, which the default set leaves out: a
  // pattern counts them.
  total += vendor::detail::mix(total) + vendor::strings_internal::trim(total);
  total += vendor::shared_twice(total);  // not-into
  auto start = std::chrono::steady_clock::now();
  auto end = std::chrono::steady_clock::now();
  total += static_cast<int>((end - start).count() >= 0);
  if (std::FILE* f = std::fopen("/dev/null", "r")) std::fclose(f);  // not chosen
  sink = total;
}
