#include "counted.hpp"

#include <pthread.h>

namespace counted {

__attribute__((noinline)) int leaf(int x) { return x * 3 + 1; }

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
inline int step(int x) { return x * 5 + 2; }  // counted, and inlined into spin()
}  // namespace

int spin(long n) {
  int x = 0;
  for (long i = 0; i < n; ++i) x = step(x);
  return x;
}

}  // namespace counted
