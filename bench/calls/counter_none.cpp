// No instrumentation: the baseline.  Nothing is counted.
#include "target.hpp"

namespace bench {

void start_counting() {}
std::uint64_t counted_calls() { return 0; }
const char* counter_name() { return "none"; }

}  // namespace bench
