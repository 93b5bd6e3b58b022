// A library that is not instrumented: static.cpp and shared.cpp are
// compiled without the plugin, and the tests that call it leave this header
// out of their filters.
#ifndef TALLY_TEST_CALLS_INTO_VENDOR_HPP
#define TALLY_TEST_CALLS_INTO_VENDOR_HPP

namespace vendor {

int lookup(int key);  // in a static library

class Table {
 public:
  explicit Table(int size);
  int get(int key) const;
  static int made();

 private:
  int size_;
};

int operator+(const Table& table, int key);

// Inline, in this header that no filter counts: counted where it is called.
inline int clamp(int value) { return value < 0 ? 0 : value; }

int shared_twice(int value);  // in a shared library

// Called virtually: each call counts under the function it names.
class Shape {
 public:
  virtual ~Shape();
  virtual int area() const = 0;
  virtual int scaled(int factor) const;
  virtual int operator[](int corner) const;
  static Shape* make_square(int side);
};

class Square final : public Shape {
 public:
  explicit Square(int side);
  int area() const override;

 private:
  int side_;
};

}  // namespace vendor

#endif
