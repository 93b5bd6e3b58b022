#include "greeter.hpp"

volatile long sink;

void run() {  // calls: 1 run()
  sink = lib::from_library(1) + lib::from_library(2);
  sink = lib::shared_inline(3);
  sink = lib::shared_template(4L);
  sink = static_cast<long>(lib::greet("you").size());
}

// query: lib::shared_inline = 3
// query: lib::shared_template = 3
