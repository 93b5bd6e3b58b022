// Code under test for the per-thread counter tests; compiled with the
// plugin at each optimisation level.
#pragma once

namespace counted {

int leaf(int x);
int calls(int n);         // calls leaf() n times
void exit_after(int n);   // calls leaf() n times, then pthread_exit()
int spin(long n);         // calls leaf() n times, in a loop leaf() is inlined into

}  // namespace counted
