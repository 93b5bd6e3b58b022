// Callers (-fplugin-arg-tally-callers): every call of a counted function
// in instrumented code is counted at its call site, keyed by caller,
// callee and location.  Callees counted here, in another unit (shop.cpp),
// at their call sites (vendor::lookup, calls into), inline in a header;
// calls in a loop that gets unrolled and in a function that gets inlined;
// calls from code that is not instrumented (plain.cpp) are from elsewhere.
#include "../calls_into/vendor/vendor.hpp"
#include "shop.hpp"

// calls into: 5 vendor::lookup(int)
// query: shop::query = 9
// from: shop::query <- (anonymous namespace)::load_one_by_one = 4
// from: shop::query <- shop::cached = 2
// from: shop::query <- run = 1
// from: vendor::lookup <- run = 5
// from: shop::query <- nobody = 0

namespace {

int load_one_by_one(int n) {  // calls: 1 (anonymous namespace)::load_one_by_one(int)
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += shop::query(i);  // site: 4 shop::query(int) <- (anonymous namespace)::load_one_by_one(int)
  return sum;
}

// Inlined into run() when optimising: its call sites still count, in it.
inline int twice(int x) {  // calls: 2 (anonymous namespace)::twice(int)
  return x + x;
}

int both(int x) {  // calls: 1 (anonymous namespace)::both(int)
  return twice(x) + twice(x + 1);  // site: 1 (anonymous namespace)::twice(int) <- (anonymous namespace)::both(int) | 1 (anonymous namespace)::twice(int) <- (anonymous namespace)::both(int)
}

}  // namespace

volatile int sink;

void run() {  // calls: 1 run()
  int total = load_one_by_one(4);  // site: 1 (anonymous namespace)::load_one_by_one(int) <- run()
  total += shop::cached(1) + shop::cached(2);  // site: 1 shop::cached(int) <- run() | 1 shop::cached(int) <- run()
  total += shop::query(sink);  // site: 1 shop::query(int) <- run()
  for (int i = 0; i < 5; ++i) total += vendor::lookup(i);  // site: 5 vendor::lookup(int) <- run()
  total += shop::query_from_plain_code(3);  // site: 1 shop::query_from_plain_code(int) <- run()
  sink = total + both(sink);  // site: 1 (anonymous namespace)::both(int) <- run()
}
