#include "both.hpp"

namespace both {
int twice(int value) { return value * 2; }  // calls: 3 both::twice(int)
}  // namespace both
