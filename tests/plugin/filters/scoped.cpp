// Compiled with -fplugin-arg-tally-@lib:headers-only,
// -fplugin-arg-tally-@lib:include=/filters/scoped and
// -fplugin-arg-tally-@own:function=^own:: (see ../CMakeLists.txt): headers-only
// belongs to the lib scope, so the own scope still counts this file's own::
// functions.
#include "scoped_header.hpp"

namespace own {
int counted_here(int x) { return x + 1; }  // calls: 1 own::counted_here(int)
}  // namespace own

namespace lib {
int not_in_a_header(int x) { return x; }  // calls: none
}  // namespace lib

volatile int sink;

void run() {  // calls: none
  sink = own::counted_here(1) + own::own_in_header(2) + lib::in_header(3) +
         lib::not_in_a_header(4);
}
