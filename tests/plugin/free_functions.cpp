// Free functions: external, internal and inline linkage, overloads,
// recursion, and calls through pointers and std::function.
#include <cstdarg>
#include <functional>

namespace ns {

int twice(int x) { return 2 * x; }  // calls: 3 ns::twice(int)
double twice(double x) { return 2 * x; }  // calls: 1 ns::twice(double)
static int hidden(int x) { return x + 1; }  // calls: 2 ns::hidden(int)
inline int inlined(int x) { return x - 1; }  // calls: 4 ns::inlined(int)
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }  // calls: 15 ns::fib(int)
int sum(int n, ...) {  // calls: 1 ns::sum(int, ...)
  va_list args;
  va_start(args, n);
  int total = 0;
  for (int i = 0; i < n; ++i) total += va_arg(args, int);
  va_end(args);
  return total;
}
void never_called() {}  // calls: none

namespace {
int unnamed(int x) { return x; }  // calls: 1 ns::(anonymous namespace)::unnamed(int)
}  // namespace

namespace inner::deeper {
void nested() {}  // calls: 1 ns::inner::deeper::nested()
}  // namespace inner::deeper

inline namespace v1 {
void versioned() {}  // calls: 1 ns::versioned()
}  // namespace v1

}  // namespace ns

extern "C" int c_linkage(int x) { return x; }  // calls: 1 c_linkage(int)

volatile int sink;

void run() {  // calls: 1 run()
  sink = ns::twice(1) + ns::twice(2);
  sink = ns::twice(1.5);
  int (*ptr)(int) = &ns::twice;
  sink = ptr(3);
  sink = ns::hidden(1) + ns::hidden(2);
  for (int i = 0; i < 4; ++i) sink = ns::inlined(i);
  sink = ns::fib(5);
  sink = ns::sum(3, 1, 2, 3);
  std::function<int(int)> f = ns::unnamed;
  sink = f(7);
  ns::inner::deeper::nested();
  ns::versioned();
  sink = c_linkage(1);
}

// query: ns::twice = 4
// query: ns::twice(int) = 3
// query: ns::twice( double ) = 1
// query: ns::fib = 15
// query: ns::never_called = 0
// query: ns::twic = 0
// query: ns::v1::versioned = 0
// query: ns::versioned = 1
// query: run = 1
