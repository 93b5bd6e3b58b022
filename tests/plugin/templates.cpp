// Templates: every instantiation is its own function; a query without
// template arguments matches all of them.
#include <string>
#include <vector>

namespace tpl {

template <class T>
T largest(T a, T b) { return a < b ? b : a; }  // calls: 3 tpl::largest<int>(int, int) | 1 tpl::largest<double>(double, double) | 1 tpl::largest<std::basic_string<char>>(std::basic_string<char>, std::basic_string<char>)

template <class T>
struct Box {
  void put(const T& v) { items.push_back(v); }  // calls: 2 tpl::Box<int>::put(const int &) | 1 tpl::Box<long>::put(const long &)
  T take() const { return items.back(); }  // calls: 1 tpl::Box<int>::take() const
  template <class U>
  U as() const { return static_cast<U>(items.front()); }  // calls: 1 tpl::Box<int>::as<double>() const
  std::vector<T> items;
};

template <class... Ts>
int count_args(Ts...) { return sizeof...(Ts); }  // calls: 1 tpl::count_args<int, char, double>(int, char, double) | 1 tpl::count_args<>()

template <class T>
struct Traits {
  static const char* name() { return "generic"; }  // calls: 1 tpl::Traits<char>::name()
};
template <>
struct Traits<int> {
  static const char* name() { return "int"; }  // calls: 1 tpl::Traits<int>::name()
};

template <class T>
T twice(T v) { return v + v; }  // calls: 1 tpl::twice<long>(long)
template <>
int twice<int>(int v) { return 2 * v; }  // calls: 2 tpl::twice<int>(int)

template <class T>
struct Explicit {
  T get() const { return T(); }  // calls: 1 tpl::Explicit<short>::get() const
  T unused() const { return T(); }  // calls: none
};
template struct Explicit<short>;

template <class T, int N>
int scaled(T v) { return static_cast<int>(v) * N; }  // calls: 1 tpl::scaled<float, 3>(float)

}  // namespace tpl

volatile long sink;

void run() {  // calls: 1 run()
  using namespace tpl;
  sink = largest(1, 2) + largest(3, 4) + largest(5, 6);
  sink = static_cast<long>(largest(1.5, 2.5));
  sink = largest(std::string("a"), std::string("b")).size();
  Box<int> b;
  b.put(1);
  b.put(2);
  sink = b.take();
  sink = static_cast<long>(b.as<double>());
  Box<long> l;
  l.put(3);
  sink = count_args(1, 'c', 2.0) + count_args();
  sink = *Traits<char>::name() + *Traits<int>::name();
  sink = twice(1) + twice(2) + twice(3L);
  sink = Explicit<short>().get();
  sink = scaled<float, 3>(2.0f);
}

// query: tpl::largest = 5
// query: tpl::largest<int> = 3
// query: tpl::largest<int>(int, int) = 3
// query: tpl::largest(int, int) = 3
// query: tpl::Box::put = 3
// query: tpl::Box<int>::put = 2
// query: tpl::Box<int>::as = 1
// query: tpl::Box::as<double> = 1
// query: tpl::twice = 3
// query: tpl::count_args = 2
// query: tpl::Traits::name = 2
