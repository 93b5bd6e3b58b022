#include "vendor/vendor.hpp"

#include <cstdlib>

namespace vendor {
int parse(const char* text) { return static_cast<int>(std::strtol(text, nullptr, 10)); }
}  // namespace vendor
