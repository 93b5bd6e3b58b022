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

}  // namespace vendor

#endif
