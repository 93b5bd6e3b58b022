#include "shapes.hpp"

namespace shapes {

int Square::area() const { return side * side; }
int total(const Square* squares, int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += squares[i].area();
  return sum;
}

}  // namespace shapes
