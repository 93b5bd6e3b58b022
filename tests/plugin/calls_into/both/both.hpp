// A library that is instrumented itself (both.cpp), whose header the test
// that calls it leaves out of its filters: its calls are counted at its
// entry and at the call sites, and a profile shows them once.
#ifndef TALLY_TEST_CALLS_INTO_BOTH_HPP
#define TALLY_TEST_CALLS_INTO_BOTH_HPP

namespace both {
int twice(int value);
}

#endif
