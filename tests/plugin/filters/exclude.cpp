// Compiled with -fplugin-arg-tally-exclude=_excluded\.hpp$ and
// -fplugin-arg-tally-exclude-function=^drop:: (see ../CMakeLists.txt).
#include "tally/tally.hpp"
#include "vendored_excluded.hpp"

// What the filters leave out is not counted at its entry; the calls that
// counted code makes into it are counted at the call sites (calls into, on
// by default).
// calls into: 1 drop::dropped(int)
// calls into: 1 drop::holder()
// calls into: 1 vendored(int)

namespace keep {
int counted(int x) { return x + 1; }  // calls: 2 keep::counted(int)
TALLY_NO_INSTRUMENT int opted_out(int x) { return x - 1; }  // calls: none
TALLY_NO_INSTRUMENT int declared_out(int x);
int declared_out(int x) { return x * 2; }  // calls: none
}  // namespace keep

namespace drop {
int dropped(int x) { return x; }  // calls: none
int holder() {  // calls: none
  auto inner = [] { return 1; };  // calls: none
  return inner();
}
}  // namespace drop

namespace keep::drop {
int not_at_the_start(int x) { return x; }  // calls: 1 keep::drop::not_at_the_start(int)
}  // namespace keep::drop

volatile int sink;

void run() {  // calls: 1 run()
  sink = keep::counted(1) + keep::counted(2) + keep::opted_out(3) + keep::declared_out(4);
  sink = drop::dropped(5) + drop::holder() + vendored(6);
  sink = keep::drop::not_at_the_start(7);
}
