// Exceptions, constexpr and consteval, system headers, and code that the
// optimiser inlines and unrolls: every run-time entry counts exactly once.
#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace rt {

int fail(int x) {  // calls: 4 rt::fail(int)
  if (x > 0) throw std::runtime_error("boom");
  return x;
}

int guarded(int x) {  // calls: 3 rt::guarded(int)
  try {
    return fail(x);
  } catch (const std::exception&) {
    return -1;
  }
}

struct Raii {
  Raii() {}  // calls: 2 rt::Raii::Raii()
  ~Raii() {}  // calls: 2 rt::Raii::~Raii()
};

void unwinds() {  // calls: 1 rt::unwinds()
  Raii a;
  Raii b;
  fail(1);
}

constexpr int square(int x) { return x * x; }  // calls: 2 rt::square(int)
consteval int cube(int x) { return x * x * x; }  // calls: none
static_assert(square(4) == 16);
constexpr int kFolded = square(5) + cube(2);

inline int tiny(int x) { return x + 1; }  // calls: 100 rt::tiny(int)
__attribute__((always_inline)) inline int forced(int x) { return x * 3; }  // calls: 8 rt::forced(int)
__attribute__((noinline)) int opaque(int x) { return x ^ 5; }  // calls: 1 rt::opaque(int)
__attribute__((no_instrument_function)) int excluded(int x) { return x; }  // calls: none

bool is_even(int x) { return x % 2 == 0; }  // calls: 10 rt::is_even(int)

}  // namespace rt

volatile int sink;

void run() {  // calls: 1 run()
  sink = rt::guarded(-1) + rt::guarded(1) + rt::guarded(2);
  try {
    rt::unwinds();
  } catch (const std::exception&) {
  }
  volatile int n = 3;
  sink = rt::square(n) + rt::square(n + 1) + rt::kFolded + rt::cube(3);
  int total = 0;
  for (int i = 0; i < 100; ++i) total += rt::tiny(i);
  for (int i = 0; i < 8; ++i) total += rt::forced(i);
  sink = total + rt::opaque(total) + rt::excluded(total);
  std::vector<int> v(10);
  std::iota(v.begin(), v.end(), 0);
  sink = static_cast<int>(std::count_if(v.begin(), v.end(), rt::is_even));
}

// query: rt::cube = 0
// query: rt::square = 2
// query: rt::tiny = 100
