// Compiled without the plugin: a static library.
#include <cstdarg>
#include <stdexcept>

#include "vendor/vendor.hpp"

namespace vendor {

static int tables = 0;

int lookup(int key) { return key * 3; }

int detail::mix(int value) { return value ^ 5; }

Table::Table(int size) : size_(size) { ++tables; }

int Table::get(int key) const { return key % size_; }

int Table::made() { return tables; }

int operator+(const Table& table, int key) { return table.get(key) + 1; }

Shape::~Shape() = default;

int Shape::scaled(int factor) const { return area() * factor; }

int Shape::operator[](int corner) const { return corner % 4; }

Shape* Shape::make_square(int side) { return new Square(side); }

Square::Square(int side) : side_(side) {}

int Square::area() const { return side_ * side_; }

Big make_big(long seed) { return {seed, seed + 1, seed + 2, seed + 3}; }

long sum_big(Big big) { return big.a + big.b + big.c + big.d; }

double add_all(int count, ...) {
  va_list args;
  va_start(args, count);
  double sum = 0;
  for (int i = 0; i < count; ++i) sum += va_arg(args, int);
  for (int i = 0; i < count; ++i) sum += va_arg(args, double);
  va_end(args);
  return sum;
}

int checked(int value) {
  if (value < 0) throw std::invalid_argument("negative");
  return value;
}

int length(const char* text) {
  int n = 0;
  while (text[n]) ++n;
  return n;
}

int squared(int value) { return value * value; }

}  // namespace vendor
