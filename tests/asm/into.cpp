// Instrumented functions that call into a library that is not
// (vendor/vendor.h): a call in a loop, a variadic call in tail position,
// and a call that returns a structure in memory.
#include "vendor/vendor.h"

int run(int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i)
    sum += vendor_step(i);
  return sum;
}

int say(int x) { return vendor_printf("%d %f\n", x, 1.5); }

int first(int seed) { return vendor_fill(seed).data[0]; }
