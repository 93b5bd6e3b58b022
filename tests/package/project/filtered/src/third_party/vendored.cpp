#include "filtered/filtered.hpp"

namespace filtered {

int vendored_impl() { return 5; }

}  // namespace filtered
