// Built by hand with the flags of `pkg-config --cflags --libs tally`.
#include <tally/tally.hpp>

#include <iostream>

volatile int sink;

int work(int x) { return x + 1; }

int main() {
  tally::Profile p = tally::profile([] {
    for (int i = 0; i < 3; ++i) sink = work(i);
  });
  std::cout << p;
  return p.count("work(int)") == 3 ? 0 : 1;
}
