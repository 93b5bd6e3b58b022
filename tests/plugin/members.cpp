// Member functions: static, const and ref-qualified, virtual (called through
// a base pointer), operators, conversion functions, friends, nested classes.
#include <ostream>
#include <sstream>

namespace shapes {

struct Shape {
  virtual ~Shape() {}  // calls: 3 shapes::Shape::~Shape()
  virtual double area() const = 0;
  virtual const char* kind() const { return "shape"; }  // calls: 1 shapes::Shape::kind() const
};

struct Square : Shape {
  explicit Square(double s) : side(s) {}  // calls: 2 shapes::Square::Square(double)
  double area() const override { return side * side; }  // calls: 2 shapes::Square::area() const
  double side;
};

struct Circle : Shape {
  Circle() {}  // calls: 1 shapes::Circle::Circle()
  double area() const override { return 3.0; }  // calls: 1 shapes::Circle::area() const
  const char* kind() const override { return "circle"; }  // calls: 1 shapes::Circle::kind() const
};

class Counter {
 public:
  static int created() { return count_; }  // calls: 1 shapes::Counter::created()
  void add(int n) & { value_ += n; }  // calls: 2 shapes::Counter::add(int) &
  void add(int n) && { value_ -= n; }  // calls: 1 shapes::Counter::add(int) &&
  int value() const { return value_; }  // calls: 1 shapes::Counter::value() const
  int value() volatile { return value_; }  // calls: 1 shapes::Counter::value() volatile

  struct Nested {
    int get() const { return 4; }  // calls: 1 shapes::Counter::Nested::get() const
  };

 private:
  static int count_;
  int value_ = 0;
};
int Counter::count_ = 0;

struct Money {
  long cents;
  Money operator+(const Money& o) const { return {cents + o.cents}; }  // calls: 2 shapes::Money::operator+(const shapes::Money &) const
  bool operator==(const Money& o) const { return cents == o.cents; }  // calls: 1 shapes::Money::operator==(const shapes::Money &) const
  bool operator<(const Money& o) const { return cents < o.cents; }  // calls: 1 shapes::Money::operator<(const shapes::Money &) const
  long operator[](int i) const { return i ? cents : 0; }  // calls: 1 shapes::Money::operator[](int) const
  long operator()(long x) const { return x * cents; }  // calls: 1 shapes::Money::operator()(long) const
  Money& operator+=(const Money& o) { cents += o.cents; return *this; }  // calls: 1 shapes::Money::operator+=(const shapes::Money &)
  explicit operator bool() const { return cents != 0; }  // calls: 1 shapes::Money::operator bool() const
  operator long() const { return cents; }  // calls: 1 shapes::Money::operator long() const
  friend std::ostream& operator<<(std::ostream& os, const Money& m) { return os << m.cents; }  // calls: 1 shapes::operator<<(std::ostream &, const shapes::Money &)
};

Money operator-(Money a, Money b) { return {a.cents - b.cents}; }  // calls: 1 shapes::operator-(shapes::Money, shapes::Money)
Money operator""_c(unsigned long long v) { return {static_cast<long>(v)}; }  // calls: 2 shapes::operator""_c(unsigned long long)

}  // namespace shapes

volatile long sink;

void run() {  // calls: 1 run()
  using namespace shapes;
  Shape* all[] = {new Square(2), new Square(3), new Circle};
  double total = 0;
  for (Shape* s : all) total += s->area();
  sink = static_cast<long>(total);
  sink = *all[0]->kind() + *all[2]->kind();
  for (Shape* s : all) delete s;

  sink = Counter::created();
  Counter c;
  c.add(1);
  c.add(2);
  Counter().add(3);
  sink = static_cast<const Counter&>(c).value();
  volatile Counter vc;
  sink = vc.value();
  sink = Counter::Nested().get();

  Money a{1}, b{2};
  Money m = a + b + 5_c;
  sink = (m == a) + (a < b) + m[1] + m(2);
  m += 1_c;
  sink = static_cast<bool>(m);
  sink = static_cast<long>(m);
  sink = (m - a).cents;
  std::ostringstream out;
  out << m;
}

// query: shapes::Square::area = 2
// query: shapes::Counter::add = 3
// query: shapes::Counter::add(int) & = 2
// query: shapes::Counter::value = 2
// query: shapes::Money::operator+ = 2
// query: shapes::Money::operator< = 1
// query: shapes::operator<< = 1
// query: shapes::Money::operator long = 1
// query: shapes::Shape::~Shape = 3
