// The instrumented functions of the session tests' worker.
#include "counted.hpp"

namespace work {

void tick() {}
void tock() {}

}  // namespace work
