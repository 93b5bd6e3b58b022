// Used as a precompiled header.
#pragma once

#include <string>

namespace pch {
inline int length(const std::string& s) { return static_cast<int>(s.size()); }  // calls: 2 pch::length(const std::string &)
template <class T>
T same(T v) { return v; }  // calls: 1 pch::same<int>(int)
}  // namespace pch
