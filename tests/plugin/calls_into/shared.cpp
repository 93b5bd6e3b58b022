// Compiled without the plugin: a shared library.
#include "vendor/vendor.hpp"

namespace vendor {

int shared_twice(int value) { return value * 2; }

}  // namespace vendor
