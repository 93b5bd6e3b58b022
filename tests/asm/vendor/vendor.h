// Functions of a library that is not instrumented (tests/asm/into.cpp).
extern "C" int vendor_step(int);
extern "C" int vendor_printf(const char *, ...);
struct Buffer {
  char data[64];
};
Buffer vendor_fill(int seed);  // returned in memory the caller provides
