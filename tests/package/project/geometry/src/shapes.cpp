#include "geometry/shapes.hpp"

#include <algorithm>
#include <stdexcept>

namespace geometry {

Shape::Shape() {}
Shape::~Shape() {}
std::string Shape::name() const { return "shape"; }

Square::Square(double s) : side(s) {}
Square::~Square() {}
double Square::area() const { return side * side; }
std::string Square::name() const { return "square"; }

Node::Node() {}
Node::~Node() {}
Left::Left() {}
Left::~Left() {}
Right::Right() {}
Right::~Right() {}
Joined::Joined() {}
Joined::~Joined() {}

Vec::Vec(double x, double y) : x(x), y(y) {}
Vec Vec::operator+(const Vec& o) const { return Vec(x + o.x, y + o.y); }
bool Vec::operator==(const Vec& o) const { return x == o.x && y == o.y; }
Vec::operator bool() const { return x != 0 || y != 0; }
Vec Vec::origin() { return Vec(0, 0); }

double total_area(const std::vector<const Shape*>& shapes) {
  double sum = 0;
  for (const Shape* s : shapes) sum += s->area();
  return sum;
}

int factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

int checked(int n) {
  if (n < 0) throw std::invalid_argument("negative");
  return n;
}

int apply(const std::function<int(int)>& f, int x) { return f(x); }
int twice(int x) { return 2 * x; }

int scale_all(std::vector<int>& values, int by) {
  std::for_each(values.begin(), values.end(), [by](int& v) { v *= by; });
  return static_cast<int>(values.size());
}

void spin(int calls) {
  volatile int sink = 0;
  for (int i = 0; i < calls; ++i) sink = header_inline(sink);
}

}  // namespace geometry
