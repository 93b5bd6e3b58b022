#include "extern_template.hpp"

volatile long sink;

void run() {  // calls: 1 run()
  sink = twice(1) + twice(2) + twice(3) + twice(4L);
}
