// The functions whose calls bench/calls measures.  target.cpp is compiled
// once per way of counting; the driver (main.cpp) is never instrumented.
#pragma once

#include <cstdint>

namespace bench {

int work_a(int x);
int work_b(int x);

// What each way of counting provides: start counting now, then read how
// many calls of work_a and work_b it has counted since.
void start_counting();
std::uint64_t counted_calls();

// The name of the way of counting, as the tables print it.
const char* counter_name();

}  // namespace bench
