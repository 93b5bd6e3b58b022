// Constructors and destructors: one count per object for each class whose
// body runs, with virtual bases, delegation, variadic and function-try-block
// constructors; compiler-generated and defaulted ones are not counted.
#include <memory>
#include <utility>

namespace life {

struct Base {
  Base() {}  // calls: 3 life::Base::Base()
  virtual ~Base() {}  // calls: 3 life::Base::~Base()
};

struct Left : virtual Base {
  Left() {}  // calls: 2 life::Left::Left()
  ~Left() override {}  // calls: 2 life::Left::~Left()
};

struct Right : virtual Base {
  Right() {}  // calls: 2 life::Right::Right()
  ~Right() override {}  // calls: 2 life::Right::~Right()
};

struct Diamond : Left, Right {
  Diamond() {}  // calls: 1 life::Diamond::Diamond()
  ~Diamond() override {}  // calls: 1 life::Diamond::~Diamond()
};

struct Delegating {
  Delegating() : Delegating(0) {}  // calls: 1 life::Delegating::Delegating()
  explicit Delegating(int v) : value(v) {}  // calls: 2 life::Delegating::Delegating(int)
  int value;
};

struct Variadic {
  Variadic(int n, ...) : count(n) {}  // calls: 1 life::Variadic::Variadic(int, ...)
  int count;
};

struct Guarded {
  Guarded() try : value(1) {  // calls: 1 life::Guarded::Guarded()
  } catch (...) {
  }
  ~Guarded() try {  // calls: 1 life::Guarded::~Guarded()
  } catch (...) {
  }
  int value;
};

struct Movable {
  Movable() {}  // calls: 2 life::Movable::Movable()
  Movable(const Movable&) {}  // calls: 1 life::Movable::Movable(const life::Movable &)
  Movable(Movable&&) noexcept {}  // calls: 1 life::Movable::Movable(life::Movable &&)
  Movable& operator=(const Movable&) { return *this; }  // calls: 1 life::Movable::operator=(const life::Movable &)
  ~Movable() {}  // calls: 4 life::Movable::~Movable()
};

// With optimisation, Clang would make Child's empty destructor an alias of
// Parent's: it must still count.
struct Parent {
  Parent() {}  // calls: 1 life::Parent::Parent()
  ~Parent() {}  // calls: 1 life::Parent::~Parent()
};

struct Child : Parent {
  Child() {}  // calls: 1 life::Child::Child()
  ~Child() {}  // calls: 1 life::Child::~Child()
};

struct Defaulted {
  Defaulted() = default;  // calls: none
  Defaulted(const Defaulted&) = default;  // calls: none
  ~Defaulted() = default;  // calls: none
  int value = 3;
};

struct Implicit {  // calls: none
  Movable member;
};

}  // namespace life

volatile int sink;

void run() {  // calls: 1 run()
  using namespace life;
  { Diamond d; }
  { Left l; }
  { std::unique_ptr<Base> p = std::make_unique<Right>(); }
  { Delegating a, b(5); sink = a.value + b.value; }
  { Variadic v(2, 1.0, 2.0); sink = v.count; }
  { Guarded g; sink = g.value; }
  {
    Movable a;
    Movable b(a);
    Movable c(std::move(a));
    c = b;
    Implicit i;
  }
  { Child c; }
  {
    Defaulted d;
    Defaulted e(d);
    sink = e.value;
  }
}

// query: life::Base::Base = 3
// query: life::Movable::Movable = 4
// query: life::Movable::Movable(const life::Movable&) = 1
// query: life::Diamond::~Diamond = 1
