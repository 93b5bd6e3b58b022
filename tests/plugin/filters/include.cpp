// Compiled with -fplugin-arg-tally-function=^only:: and
// -fplugin-arg-tally-include=/filters/include\.cpp$ (see ../CMakeLists.txt).
#include "vendored_excluded.hpp"

namespace only {
int wanted(int x) { return x + 1; }  // calls: 1 only::wanted(int)
struct Thing {
  Thing() {}  // calls: 1 only::Thing::Thing()
};
}  // namespace only

namespace other {
int unwanted(int x) { return x; }  // calls: none
}  // namespace other

volatile int sink;

void run() {  // calls: none
  only::Thing t;
  sink = only::wanted(1) + other::unwanted(2) + vendored(3);
}
