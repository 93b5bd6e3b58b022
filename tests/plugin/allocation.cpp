// A profile does not count its own work: with a replaced operator new, only
// the allocations of the profiled code are counted.  (Compiled with
// -fno-sized-deallocation, so that every delete is the one replaced here,
// with either compiler.)
#include <cstdlib>
#include <new>
#include <vector>

void* operator new(std::size_t size) {  // calls: 2 operator new(std::size_t)
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}

void operator delete(void* p) noexcept { std::free(p); }  // calls: 2 operator delete(void *)
// libtally's deletes, after the profile has read its counts.
void operator delete(void* p, std::size_t) noexcept { std::free(p); }  // calls: none

int* volatile escaped_int;
int* volatile escaped_data;

void run() {  // calls: 1 run()
  std::vector<int> v(100);
  escaped_data = v.data();
  escaped_int = new int(3);
  delete escaped_int;
}

// query: operator new = 2
// The replacements' own calls into the C library, counted at the call sites.
// calls into: 2 malloc(size_t)
// calls into: 2 free(void *)
