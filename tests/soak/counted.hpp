// The instrumented functions of the soak test: soak::f0 ... f11 in a
// shared library, soak::g0 ... g3 in a static one linked into the worker.
#ifndef TALLY_TESTS_SOAK_COUNTED_HPP_
#define TALLY_TESTS_SOAK_COUNTED_HPP_

namespace soak {

using Function = void (*)();
extern const Function shared_functions[12];
extern const Function static_functions[4];

}  // namespace soak

#endif  // TALLY_TESTS_SOAK_COUNTED_HPP_
