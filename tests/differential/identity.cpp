// Function identity and object layout are unchanged by instrumentation.
#include <cstdio>
#include <cstddef>

inline int shared() { return 1; }
int plain() { return 2; }

struct Layout {
  char c;
  long l;
  int f() const { return 3; }
};

struct Polymorphic {
  virtual ~Polymorphic() {}
  char c;
};

int main() {
  int (*a)() = shared;
  int (*b)() = &shared;
  std::printf("%d %d %d\n", a == b, a() + b(), plain());
  std::printf("%zu %zu %zu %zu\n", sizeof(Layout), alignof(Layout), offsetof(Layout, l),
              sizeof(Polymorphic));
  int (Layout::*m)() const = &Layout::f;
  Layout x{};
  std::printf("%d\n", (x.*m)());
  return 0;
}
