// Calls from instrumented code into code that is not instrumented, counted
// at the call sites (-fplugin-arg-tally-calls-into): the C library, a
// static and a shared library built without the plugin (vendor/), also in
// a loop that gets unrolled and from an instrumented function that gets
// inlined.  The standard library's functions and what Clang turns into its
// own code (memcpy of a known size, abs) are not in the default set.
#include <unistd.h>  // getpid

#include <cstdio>   // std::fopen
#include <cstdlib>  // std::strtol, std::abs
#include <cstring>  // std::memcpy
#include <string>   // std::string

#include "both/both.hpp"
#include "vendor/vendor.hpp"

// calls into: 1 fopen(const char *, const char *)
// calls into: 1 fclose(FILE *)
// calls into: 4 strtol(const char *, char **, int)
// calls into: 1 getpid()
// calls into: 8 vendor::lookup(int)
// calls into: 2 vendor::Table::Table(int)
// calls into: 3 vendor::Table::get(int) const
// calls into: 1 vendor::Table::made()
// calls into: 1 vendor::operator+(const vendor::Table &, int)
// calls into: 1 vendor::clamp(int)
// calls into: 2 vendor::shared_twice(int)
// query: vendor::lookup = 8
// query: vendor::Table::get = 3
// query: both::twice = 3

namespace {

int parse(const char* const* texts) {  // calls: 1 (anonymous namespace)::parse(const char *const *)
  int sum = 0;
  for (int i = 0; i < 4; ++i) sum += static_cast<int>(std::strtol(texts[i], nullptr, 10));
  return sum;
}

// Inlined into run() when optimising: its calls still count, once each.
inline int two_lookups(int key) {  // calls: 2 (anonymous namespace)::two_lookups(int)
  return vendor::lookup(key) + vendor::lookup(key + 1);
}

}  // namespace

volatile int sink;

void run() {  // calls: 1 run()
  const char* texts[] = {"1", "2", "3", "4"};
  sink = parse(texts);

  if (std::FILE* f = std::fopen("/dev/null", "r")) std::fclose(f);
  sink = static_cast<int>(getpid() > 0);

  int total = 0;
  for (int i = 0; i < 4; ++i) total += vendor::lookup(i);  // unrolled when optimising
  total += two_lookups(1) + two_lookups(sink);

  vendor::Table t(5), u(7);
  total += t.get(1) + t.get(2) + u.get(3) + (t + 4) + vendor::Table::made();
  total += vendor::clamp(-1);
  total += vendor::shared_twice(1) + vendor::shared_twice(2);
  for (int i = 0; i < 3; ++i) total += both::twice(i);

  // Not counted: the standard library, and what Clang makes its own code.
  std::string text = std::to_string(total);
  char copy[4];
  std::memcpy(copy, text.data(), 1);
  total += std::abs(-copy[0]) + static_cast<int>(text.size());
  sink = total;
}
