// Calls into functions that are not instrumented, of every kind of
// signature: a result returned in memory, an argument passed in memory,
// variadic arguments (integers and floating point, in registers and on the
// stack), an exception thrown through the call, and functions declared
// pure or const, called twice alike, in a loop and for nothing (which the
// optimiser may merge, hoist or drop; each written call that runs still
// counts, as at -O0), and a C library function that the optimiser
// replaces (printf of a line, by puts).  Each is counted, and
// each call passes and returns exactly what it would without tally (run()
// aborts otherwise).
#include <cstdio>     // std::snprintf, std::printf
#include <cstdlib>    // std::abort
#include <cstring>    // std::strcmp
#include <stdexcept>  // std::invalid_argument

#include "vendor/vendor.hpp"

// calls into: 3 vendor::make_big(long)
// calls into: 2 vendor::sum_big(vendor::Big)
// calls into: 2 vendor::add_all(int, ...)
// calls into: 3 vendor::checked(int)
// calls into: 1 snprintf(char *, size_t, const char *, ...)
// calls into: 6 vendor::length(const char *)
// calls into: 5 vendor::squared(int)
// calls into: 1 printf(const char *, ...)
// query: vendor::checked = 3

namespace {

void expect(bool holds) {  // calls: 13 (anonymous namespace)::expect(bool)
  if (!holds) std::abort();
}

}  // namespace

volatile long seed = 10;

void run() {  // calls: 1 run()
  vendor::Big big = vendor::make_big(seed);
  expect(big.a == 10 && big.b == 11 && big.c == 12 && big.d == 13);
  for (int i = 0; i < 2; ++i) expect(vendor::make_big(seed + i).d == 13 + i);
  expect(vendor::sum_big(big) == 46);
  expect(vendor::sum_big({1, 2, 3, 4}) == 10);
  // Nine ints and nine doubles: some in registers, the rest on the stack.
  expect(vendor::add_all(9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                         0.5) == 49.5);
  expect(vendor::add_all(1, 2, 0.25) == 2.25);
  char text[32];
  std::snprintf(text, sizeof text, "%d %.2f %s %ld", 7, 2.5, "x", static_cast<long>(seed));
  expect(std::strcmp(text, "7 2.50 x 10") == 0);
  expect(vendor::checked(3) == 3);
  bool thrown = false;
  try {
    vendor::checked(-1);
  } catch (const std::invalid_argument&) {
    thrown = true;
  }
  expect(thrown);
  expect(vendor::checked(0) == 0);
  const char* word = seed > 0 ? "four" : "none";
  expect(vendor::length(word) + vendor::length(word) == 8);
  int sum = 0;
  for (int i = 0; i < 4; ++i) sum += vendor::length(word) + vendor::squared(3);
  expect(sum == 52);
  (void)vendor::squared(static_cast<int>(seed));  // its value unused
  std::printf("calls_into_forwarded: run\n");
}
