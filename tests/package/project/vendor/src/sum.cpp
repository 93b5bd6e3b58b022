#include "vendor/vendor.hpp"

namespace vendor {
int sum(int a, int b) { return a + b; }
}  // namespace vendor
