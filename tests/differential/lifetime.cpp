// Order of static initialisation, destruction and atexit handlers.
#include <cstdio>
#include <cstdlib>

struct Noisy {
  explicit Noisy(const char* name) : name(name) { std::printf("init %s\n", name); }
  ~Noisy() { std::printf("fini %s\n", name); }
  const char* name;
};

Noisy first("first");
Noisy second("second");

Noisy& lazy() {
  static Noisy instance("lazy");
  return instance;
}

void handler_one() { std::printf("atexit one\n"); }
void handler_two() { std::printf("atexit two\n"); }

int main() {
  std::atexit(handler_one);
  lazy();
  std::atexit(handler_two);
  std::printf("main\n");
  return 0;
}
