// tally, calls into through routines: as counter_tally_calls.cpp, with each
// call site calling its callee's routine (call-bumps).
#define BENCH_COUNTER_NAME "tally, calls into, routine"
#include "counter_tally.cpp"
