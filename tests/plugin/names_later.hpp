// Defines, in another file, a member that names.cpp declares: its
// instantiations are located here, at the definition.
#pragma once

namespace app {
template <class T>
int Later<T>::get() { return 1; }  // calls: 1 app::Later<int>::get()
}  // namespace app
