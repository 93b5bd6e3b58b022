// Code under test for the per-thread counter tests; compiled with the
// plugin at each optimisation level.
#pragma once

namespace counted {

int leaf(int x);
int calls(int n);         // calls leaf() n times
void exit_after(int n);   // calls leaf() n times, then pthread_exit()
int spin(long n);         // calls leaf() n times, in a loop leaf() is inlined into

// The calls of this module's functions that went the locked way, into the
// counters themselves rather than a thread's own (tally/detail/site.h).
unsigned long long locked_calls();

}  // namespace counted
