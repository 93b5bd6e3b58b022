#include "filtered/filtered.hpp"

namespace filtered {

int compiled() { return skip<int, int>() + skip<int, long>() + hidden(); }

}  // namespace filtered
