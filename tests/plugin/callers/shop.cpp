// A counted function called from main.cpp, where it is only declared, and
// from plain.cpp, which is not instrumented.
#include "shop.hpp"

namespace shop {

int query(int id) {  // calls: 9 shop::query(int)
  return id * 3;
}

}  // namespace shop
