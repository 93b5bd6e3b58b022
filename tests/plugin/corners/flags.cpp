// Built with -fno-exceptions -fno-rtti -fvisibility=hidden
// -ffunction-sections -fdata-sections, linked with --gc-sections, and with
// -Wall -Wextra -Werror: the plugin adds no warning.
namespace flags {

struct Base {
  virtual ~Base() {}  // calls: 1 flags::Base::~Base()
  virtual int value() const { return 1; }  // calls: none
};

struct Derived final : Base {
  int value() const override { return 2; }  // calls: 1 flags::Derived::value() const
};

inline int twice(int x) { return 2 * x; }  // calls: 2 flags::twice(int)
int unused(int x) { return x + 3; }  // calls: none

template <class T>
T largest(T a, T b) { return a < b ? b : a; }  // calls: 1 flags::largest<int>(int, int)

}  // namespace flags

volatile int sink;

void run() {  // calls: 1 run()
  const flags::Base* b = new flags::Derived;
  sink = flags::twice(b->value()) + flags::twice(1) + flags::largest(3, 4);
  delete b;
}
