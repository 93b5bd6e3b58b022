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
  // work() and the lambda: the profile counts neither itself nor tally's
  // header code.
  bool ok = p.size() == 2 && p.total() == 4 && p.count("work(int)") == 3;
  for (const tally::Entry& e : tally::registered_functions())
    if (e.name.rfind("tally::", 0) == 0) {
      std::cout << "counted: " << e.signature << '\n';
      ok = false;
    }
  return ok ? 0 : 1;
}
