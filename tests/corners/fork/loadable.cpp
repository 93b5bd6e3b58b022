// Loaded with dlopen() by main.cpp, before and after it forks.
extern "C" int loaded_unloaded_before_fork(int x) { return x + 1; }
extern "C" int loaded_across_fork(int x) { return x + 2; }
