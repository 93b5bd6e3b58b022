#pragma once

#include <functional>
#include <string>
#include <vector>

namespace geometry {

struct Shape {
  Shape();
  virtual ~Shape();
  virtual double area() const = 0;
  virtual std::string name() const;
};

struct Square : Shape {
  explicit Square(double side);
  ~Square() override;
  double area() const override;
  std::string name() const override;
  double side;
};

struct Circle : Shape {
  explicit Circle(double r) : radius(r) {}
  double area() const override { return 3 * radius * radius; }
  double radius;
};

// Classes with a virtual base: each constructor body runs once per object.
struct Node {
  Node();
  virtual ~Node();
};
struct Left : virtual Node {
  Left();
  ~Left() override;
};
struct Right : virtual Node {
  Right();
  ~Right() override;
};
struct Joined : Left, Right {
  Joined();
  ~Joined() override;
};

struct Vec {
  double x = 0, y = 0;
  Vec() = default;
  Vec(double x, double y);
  Vec operator+(const Vec& o) const;
  bool operator==(const Vec& o) const;
  explicit operator bool() const;
  static Vec origin();
};

double total_area(const std::vector<const Shape*>& shapes);
int factorial(int n);
int checked(int n);  // throws std::invalid_argument for n < 0
int apply(const std::function<int(int)>& f, int x);
int twice(int x);
int scale_all(std::vector<int>& values, int by);  // uses a lambda per element
constexpr int cube(int x) { return x * x * x; }
consteval int square_now(int x) { return x * x; }

template <class T>
class Box {
 public:
  void put(const T& v) { items_.push_back(v); }
  T take() {
    T v = items_.back();
    items_.pop_back();
    return v;
  }
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<T> items_;
};

template <class T>
T largest(const std::vector<T>& v) {
  T best = v.front();
  for (const T& x : v) best = best < x ? x : best;
  return best;
}

inline int header_inline(int x) { return x + 1; }

void spin(int calls);  // calls header_inline() `calls` times

}  // namespace geometry
