// Included by scoped.cpp: header code of the "lib" scope.
#pragma once

namespace lib {
inline int in_header(int x) { return x * 2; }  // calls: 1 lib::in_header(int)
}  // namespace lib

namespace own {
inline int own_in_header(int x) { return x - 1; }  // calls: 1 own::own_in_header(int)
}  // namespace own
