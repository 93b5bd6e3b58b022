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

// The library's own helpers, in the namespaces libraries keep them in: not
// in the default set.
namespace detail {
int mix(int value);  // in a static library
}
namespace strings_internal {
inline int trim(int value) { return value > 9 ? 9 : value; }
}

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

// Returned in memory (sret), passed in memory (byval), variadic, and
// throwing: calls into them must pass and return everything unchanged.
struct Big {
  long a, b, c, d;
};
Big make_big(long seed);
long sum_big(Big big);
double add_all(int count, ...);  // count ints, then count doubles
int checked(int value);          // throws std::invalid_argument below 0

// Declared pure and const: the optimiser may merge, hoist or drop their
// calls, but each call written is counted, at every level.
__attribute__((pure)) int length(const char* text);
__attribute__((const)) int squared(int value);

}  // namespace vendor

#endif
