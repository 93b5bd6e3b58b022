// Prints the results of a wide range of C++ features; built with and
// without tally, the output must be the same byte for byte.
#include <algorithm>
#include <cmath>
#include <coroutine>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <variant>
#include <vector>

namespace diff {

struct Shape {
  virtual ~Shape() { std::printf("~Shape %s\n", label().c_str()); }
  virtual double area() const = 0;
  virtual std::string label() const { return "shape"; }
};
struct Rect : Shape {
  Rect(double w, double h) : w(w), h(h) {}
  ~Rect() override { std::printf("~Rect\n"); }
  double area() const override { return w * h; }
  std::string label() const override { return "rect"; }
  double w, h;
};
struct Circle : Shape {
  explicit Circle(double r) : r(r) {}
  double area() const override { return 3.14159 * r * r; }
  double r;
};

struct VBase { VBase() { std::printf("VBase\n"); } virtual ~VBase() { std::printf("~VBase\n"); } };
struct VLeft : virtual VBase { VLeft() { std::printf("VLeft\n"); } };
struct VRight : virtual VBase { VRight() { std::printf("VRight\n"); } };
struct VBoth : VLeft, VRight { VBoth() { std::printf("VBoth\n"); } };

template <class T>
T clamp(T v, T lo, T hi) { return std::min(std::max(v, lo), hi); }

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int parse(const std::string& s) {
  if (s.empty()) throw std::invalid_argument("empty");
  return std::stoi(s);
}

struct Gen {
  struct promise_type {
    int value = 0;
    Gen get_return_object() { return Gen{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int v) { value = v; return {}; }
    void return_void() {}
    void unhandled_exception() { throw; }
  };
  explicit Gen(std::coroutine_handle<promise_type> h) : h(h) {}
  Gen(Gen&& o) noexcept : h(o.h) { o.h = {}; }
  ~Gen() { if (h) h.destroy(); }
  std::coroutine_handle<promise_type> h;
};

Gen squares(int n) {
  for (int i = 0; i < n; ++i) co_yield i * i;
}

int counter() {
  static int calls = 0;
  return ++calls;
}

}  // namespace diff

int main() {
  using namespace diff;
  std::vector<std::unique_ptr<Shape>> shapes;
  shapes.push_back(std::make_unique<Rect>(2, 3));
  shapes.push_back(std::make_unique<Circle>(1.5));
  for (const auto& s : shapes) {
    const Shape& shape = *s;
    std::printf("%s %.6f %s\n", shape.label().c_str(), shape.area(), typeid(shape).name());
  }
  shapes.clear();
  { VBoth both; }

  std::printf("clamp %d %.2f\n", clamp(15, 0, 10), clamp(-1.5, -1.0, 1.0));
  std::printf("fib %d\n", fib(20));
  for (const char* s : {"42", "", "x"}) {
    try {
      std::printf("parse %d\n", parse(s));
    } catch (const std::exception& e) {
      std::printf("error %s\n", e.what());
    }
  }

  std::vector<int> v(20);
  std::iota(v.begin(), v.end(), -10);
  std::sort(v.begin(), v.end(), [](int a, int b) { return std::abs(a) < std::abs(b) || (std::abs(a) == std::abs(b) && a < b); });
  for (int x : v) std::printf("%d ", x);
  std::printf("\n");

  std::map<std::string, int> words;
  std::istringstream text("the quick brown fox jumps over the lazy dog the end");
  for (std::string w; text >> w;) ++words[w];
  for (const auto& [w, n] : words) std::printf("%s=%d ", w.c_str(), n);
  std::printf("\n");

  std::function<int(int)> twice = [](int x) { return 2 * x; };
  auto compose = [&](int x) { return twice(twice(x)) + 1; };
  std::printf("compose %d\n", compose(5));

  std::variant<int, std::string> var = std::string("text");
  std::visit([](const auto& x) { std::printf("variant %zu\n", sizeof(x)); }, var);
  std::optional<int> none;
  std::printf("optional %d %d\n", none.value_or(7), std::optional<int>(3).value_or(7));

  Gen g = squares(5);
  for (g.h.resume(); !g.h.done(); g.h.resume()) std::printf("sq %d\n", g.h.promise().value);

  std::printf("counter %d %d %d\n", counter(), counter(), counter());
  std::printf("math %.10f %.10f\n", std::sqrt(2.0), std::sin(1.0));
  return 3;
}
