// An instrumented shared library whose inline functions are also compiled
// into the executable: each function is one entry, its counts summed.
#pragma once

#include <string>

namespace lib {

inline int shared_inline(int x) { return x + 7; }  // calls: 3 lib::shared_inline(int)

template <class T>
T shared_template(T v) { return v * 2; }  // calls: 2 lib::shared_template<int>(int) | 1 lib::shared_template<long>(long)

int from_library(int x);
std::string greet(const std::string& who);

}  // namespace lib
