// soak::f0 ... f11: the soak worker's functions in a shared library.
#include "counted.hpp"

namespace soak {

void f0() {}
void f1() {}
void f2() {}
void f3() {}
void f4() {}
void f5() {}
void f6() {}
void f7() {}
void f8() {}
void f9() {}
void f10() {}
void f11() {}

const Function shared_functions[12] = {f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11};

}  // namespace soak
