#include "workload.hpp"

#include <stdexcept>

namespace work {

int leaf(int x) { return x + 1; }

int branch(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) total += leaf(i);
  return total;
}

int thrower(int x) {
  leaf(x);
  throw std::runtime_error("thrower");
}

}  // namespace work
