// Two units call a file-static function of the same header, each its own
// (LOCAL_VALUE differs): the calls count together, under the one name
// and declaration, and each unit's calls reach its own function.
#include <cstdlib>  // std::abort

#define LOCAL_VALUE 1
#include "vendor/local.hpp"

// calls into: 5 local_value()

int second_unit();

volatile int sink;

void run() {  // calls: 1 run()
  int first = local_value() + local_value();
  if (first != 2 || second_unit() != 60)
    std::abort();
  sink = first;
}
