#pragma once

namespace shapes {

struct Square {
  int side;
  int area() const;
};
int total(const Square* squares, int n);
inline int twice(int x) { return 2 * x; }

}  // namespace shapes
