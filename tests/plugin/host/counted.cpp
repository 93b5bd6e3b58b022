// Compiled twice by host.cpp, with and without a filter that leaves f() out.
int f() { return 1; }
