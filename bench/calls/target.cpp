// A small function that is not inlined into its callers (it lives in its
// own translation unit and nothing uses LTO): the cost of one call to it is
// the cost of one counted call.
#include "target.hpp"

namespace bench {

int work_a(int x) { return x * 3 + 1; }
int work_b(int x) { return x * 5 + 2; }

}  // namespace bench
