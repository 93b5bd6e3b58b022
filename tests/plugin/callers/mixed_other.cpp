// Compiled with callers (see mixed_main.cpp).
#include "mixed.hpp"

namespace mixed {

int from_other(int x) {  // calls: 1 mixed::from_other(int)
  return twice(x) + twice(x + 2);
}

}  // namespace mixed
