// tally, calls into: the driver counts its calls of target.cpp, which is not
// instrumented, at the call sites; the counts come from a tally::Profiler,
// as for tally's entry counts.
#define BENCH_COUNTER_NAME "tally, calls into"
#include "counter_tally.cpp"
