// Lambdas are named '(lambda at FILE:LINE:COL)' inside the name of their
// enclosing function; a query for the function does not include them.
#include <algorithm>
#include <functional>
#include <vector>

namespace fn {

auto global = [](int x) { return x + 1; };  // calls: 1 fn::(lambda at lambdas.cpp:9:15)(int) const

int apply(int n) {  // calls: 1 fn::apply(int)
  auto square = [](int x) { return x * x; };  // calls: 3 fn::apply::(lambda at lambdas.cpp:12:17)(int) const
  int total = 0;
  for (int i = 0; i < n; ++i) total += square(i);
  auto outer = [&total]() {  // calls: 1 fn::apply::(lambda at lambdas.cpp:15:16)() const
    auto inner = [&total](int k) { total += k; };  // calls: 2 fn::apply::(lambda at lambdas.cpp:15:16)::(lambda at lambdas.cpp:16:18)(int) const
    inner(1);
    inner(2);
  };
  outer();
  return total;
}

int generic() {  // calls: 1 fn::generic()
  auto show = [](auto v) { return static_cast<int>(v); };  // calls: 2 fn::generic::(lambda at lambdas.cpp:25:15)(int) const | 1 fn::generic::(lambda at lambdas.cpp:25:15)(double) const
  return show(1) + show(2) + show(3.0);
}

int through_pointer() {  // calls: 1 fn::through_pointer()
  int (*ptr)(int) = [](int x) { return -x; };  // calls: 2 fn::through_pointer::(lambda at lambdas.cpp:30:21)(int) const
  return ptr(1) + ptr(2);
}

int stateful() {  // calls: 1 fn::stateful()
  int calls = 0;
  auto bump = [calls]() mutable { return ++calls; };  // calls: 3 fn::stateful::(lambda at lambdas.cpp:36:15)()
  bump();
  bump();
  return bump();
}

template <class T>
T in_template(T v) {  // calls: 1 fn::in_template<int>(int)
  return [v]() { return v * 2; }();  // calls: 1 fn::in_template<int>::(lambda at lambdas.cpp:44:10)() const
}

int with_std(std::vector<int> v) {  // calls: 1 fn::with_std(std::vector<int>)
  auto n = std::count_if(v.begin(), v.end(), [](int a) { return a > 1; });  // calls: 2 fn::with_std::(lambda at lambdas.cpp:48:46)(int) const
  std::function<int(int)> f = [](int x) { return x; };  // calls: 1 fn::with_std::(lambda at lambdas.cpp:49:31)(int) const
  return f(static_cast<int>(n));
}

// A class defined inside a lambda: its constructor and destructor too.
int local_class() {  // calls: 1 fn::local_class()
  auto make = [] {  // calls: 1 fn::local_class::(lambda at lambdas.cpp:55:15)() const
    struct Point {
      Point() {}  // calls: 1 fn::local_class::(lambda at lambdas.cpp:55:15)::Point::Point()
      ~Point() {}  // calls: 1 fn::local_class::(lambda at lambdas.cpp:55:15)::Point::~Point()
      int x() const { return 3; }  // calls: 1 fn::local_class::(lambda at lambdas.cpp:55:15)::Point::x() const
    };
    return Point().x();
  };
  return make();
}

template <class T>
int member_of(const T& t) { return t.v; }  // calls: 1 fn::member_of<fn::(unnamed struct at lambdas.cpp:72:1)>(const fn::(unnamed struct at lambdas.cpp:72:1) &)

// Templates instantiated with a lambda or an unnamed type.
template <class F>
int call(F f) { return f(); }  // calls: 1 fn::call<(lambda at lambdas.cpp:76:15)>((lambda at lambdas.cpp:76:15)) | 1 fn::call<(lambda at lambdas.cpp:77:15)>((lambda at lambdas.cpp:77:15))
struct {
  int v = 4;
} unnamed_value;
int with_templates() {  // calls: 1 fn::with_templates()
  return call([] { return 1; })  // calls: 1 fn::with_templates::(lambda at lambdas.cpp:76:15)() const
       + call([] { return 2; })  // calls: 1 fn::with_templates::(lambda at lambdas.cpp:77:15)() const
       + member_of(unnamed_value);
}

}  // namespace fn

volatile int sink;

void run() {  // calls: 1 run()
  sink = fn::global(1);
  sink = fn::apply(3);
  sink = fn::generic();
  sink = fn::through_pointer();
  sink = fn::stateful();
  sink = fn::in_template(4);
  sink = fn::with_std({1, 2});
  sink = fn::local_class();
  sink = fn::with_templates();
}

// query: fn::apply = 1
// query: fn::apply(int) = 1
// query: fn::apply::(lambda at lambdas.cpp:12:17) = 3
// query: fn::generic::(lambda at lambdas.cpp:25:15) = 3
// query: fn::generic::(lambda at lambdas.cpp:25:15)(double) const = 1
// query: fn::in_template = 1
// query: fn::call = 2
// query: fn::member_of = 1
