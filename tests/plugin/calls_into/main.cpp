// Calls from instrumented code into code that is not instrumented, counted
// at the call sites (-fplugin-arg-tally-calls-into): the C library, a
// static and a shared library built without the plugin (vendor/), also in
// a loop that gets unrolled and from an instrumented function that gets
// inlined; virtual calls count under the function they name, also where
// Clang calls the overrider directly.  The standard library's functions, a
// library's internal helpers (vendor::detail) and what Clang turns into its
// own code (memcpy of a known size, abs) are not in the default set.
#include <unistd.h>  // getpid

#include <cstdio>   // std::fopen
#include <cstdlib>  // std::strtol, std::abs
#include <cstring>  // std::memcpy
#include <string>   // std::string

#include "both/both.hpp"
#include "vendor/vendor.hpp"

// calls into: 1 fopen(const char *, const char *)
// calls into: 1 fclose(FILE *)
// calls into: 4 strtol(const char *, char **, int)
// calls into: 1 getpid()
// calls into: 8 vendor::lookup(int)
// calls into: 2 vendor::Table::Table(int)
// calls into: 3 vendor::Table::get(int) const
// calls into: 1 vendor::Table::made()
// calls into: 1 vendor::operator+(const vendor::Table &, int)
// calls into: 1 vendor::clamp(int)
// calls into: 2 vendor::shared_twice(int)
// calls into: 1 vendor::Shape::make_square(int)
// calls into: 9 vendor::Shape::area() const
// calls into: 7 vendor::Shape::scaled(int) const
// calls into: 1 vendor::Shape::operator[](int) const
// calls into: 1 vendor::Square::Square(int)
// calls into: 1 vendor::Square::area() const
// query: vendor::detail::mix = 0
// query: vendor::lookup = 8
// query: vendor::Table::get = 3
// query: both::twice = 3

namespace {

int parse(const char* const* texts) {  // calls: 1 (anonymous namespace)::parse(const char *const *)
  int sum = 0;
  for (int i = 0; i < 4; ++i) sum += static_cast<int>(std::strtol(texts[i], nullptr, 10));
  return sum;
}

// Inlined into run() when optimising: its calls still count, once each.
inline int two_lookups(int key) {  // calls: 2 (anonymous namespace)::two_lookups(int)
  return vendor::lookup(key) + vendor::lookup(key + 1);
}

inline int area_twice(const vendor::Shape& shape) {  // calls: 2 (anonymous namespace)::area_twice(const vendor::Shape &)
  return shape.area() + shape.area();
}

template <class S>
int twice_area(const S& shape) {  // calls: 1 (anonymous namespace)::twice_area<vendor::Shape>(const vendor::Shape &)
  return shape.area() * 2;
}

// Two virtual calls of different functions at one location: where the
// macro is expanded.  Neither is counted there.
#define AREA_AND_SCALED(shape) ((shape)->area() + (shape)->scaled(1))

int shapes() {  // calls: 1 (anonymous namespace)::shapes()
  vendor::Shape* shape = vendor::Shape::make_square(3);
  int total = shape->area() + shape->area() + shape->scaled(2) + (*shape)[1];
  for (int i = 0; i < 3; ++i) total += shape->scaled(i);
  total += shape->vendor::Shape::scaled(1);  // qualified: not a virtual call
  auto scaled_by_ten = [shape] { return shape->scaled(10); };  // calls: 2 (anonymous namespace)::shapes::(lambda at main.cpp:72:24)() const
  total += scaled_by_ten() + scaled_by_ten();
  total += area_twice(*shape) + area_twice(*shape) + twice_area(*shape);
  total += AREA_AND_SCALED(shape);

  vendor::Square square(2);
  const vendor::Shape& as_shape = square;
  total += as_shape.area();
  // Square is final: Clang calls Square::area directly.
  total += static_cast<const vendor::Shape&>(square).area();
  total += square.area();
  delete shape;  // a destructor: not counted
  return total;
}

}  // namespace

volatile int sink;

void run() {  // calls: 1 run()
  const char* texts[] = {"1", "2", "3", "4"};
  sink = parse(texts);

  if (std::FILE* f = std::fopen("/dev/null", "r")) std::fclose(f);
  sink = static_cast<int>(getpid() > 0);

  int total = 0;
  for (int i = 0; i < 4; ++i) total += vendor::lookup(i);  // unrolled when optimising
  total += two_lookups(1) + two_lookups(sink);

  vendor::Table t(5), u(7);
  total += t.get(1) + t.get(2) + u.get(3) + (t + 4) + vendor::Table::made();
  total += vendor::clamp(-1);
  total += vendor::shared_twice(1) + vendor::shared_twice(2);
  for (int i = 0; i < 3; ++i) total += both::twice(i);

  // Not counted: a library's internal helpers, the standard library, and
  // what Clang makes its own code.
  total += vendor::detail::mix(total) + vendor::strings_internal::trim(total);
  std::string text = std::to_string(total);
  char copy[4];
  std::memcpy(copy, text.data(), 1);
  total += std::abs(-copy[0]) + static_cast<int>(text.size());
  sink = total + shapes();
}
