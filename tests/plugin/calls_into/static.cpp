// Compiled without the plugin: a static library.
#include "vendor/vendor.hpp"

namespace vendor {

static int tables = 0;

int lookup(int key) { return key * 3; }

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

}  // namespace vendor
