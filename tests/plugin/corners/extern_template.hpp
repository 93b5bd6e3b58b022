// A template whose instantiation for int is compiled in one file only; the
// optimiser may still inline its body (available_externally) elsewhere.
#pragma once

template <class T>
T twice(T v) { return v + v; }  // calls: 3 twice<int>(int) | 1 twice<long>(long)

extern template int twice<int>(int);
