// soak::g0 ... g3: the soak worker's functions in its own module.
#include "counted.hpp"

namespace soak {

void g0() {}
void g1() {}
void g2() {}
void g3() {}

const Function static_functions[4] = {g0, g1, g2, g3};

}  // namespace soak
