// Callers in some objects of a program and not in others (mixed_other.cpp
// is compiled with callers, this file without): the program links, and
// counts its functions exactly, whichever copy of an inline function's
// groups the linker keeps.
#include "mixed.hpp"

namespace mixed {

int leaf(int x) {  // calls: 6 mixed::leaf(int)
  return x * 3;
}

}  // namespace mixed

volatile int sink;

void run() {  // calls: 1 run()
  sink = mixed::twice(sink) + mixed::from_other(sink);
}
