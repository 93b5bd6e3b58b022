// Compiled with -fplugin-arg-tally-measure-floor (see CMakeLists.txt): the
// functions are registered, with their records, but no call is counted.
#include <cstdio>   // std::printf
#include <cstdlib>  // EXIT_SUCCESS, EXIT_FAILURE

#include "tally/tally.hpp"

namespace floor_test {
__attribute__((noinline)) int twice(int x) { return 2 * x; }
__attribute__((noinline)) int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) s += twice(i);
  return s;
}
}  // namespace floor_test

volatile int sink;

int main() {
  tally::Profile p = tally::profile([] { sink = floor_test::sum(100); });
  int failures = 0;
  unsigned registered = 0;
  for (const tally::Entry& e : tally::registered_functions())
    if (e.name == "floor_test::twice" || e.name == "floor_test::sum" || e.name == "main") {
      ++registered;
      if (e.count != 0) {
        std::printf("FAIL: %s counted %llu calls without the increment\n", e.signature.c_str(),
                    static_cast<unsigned long long>(e.count));
        ++failures;
      }
    }
  if (registered != 3) {
    std::printf("FAIL: %u of the 3 functions registered, expected all\n", registered);
    ++failures;
  }
  if (p.count("floor_test::twice") != 0 || sink != 9900) {
    std::printf("FAIL: the profile counted %llu calls of twice, or the program changed\n",
                static_cast<unsigned long long>(p.count("floor_test::twice")));
    ++failures;
  }
  if (!failures) std::printf("ok: 3 functions registered, no call counted\n");
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
