// Functions that run before main() (static initialisers), in main(), and
// after it (atexit handlers, static destructors) are all counted: checked
// through TALLY_DUMP_DIR, written at exit.
#include <cstdlib>

int lib_value();

volatile int sink;

int before_main() { return 1; }
void after_main() { sink = 2; }
void at_exit_handler() { sink = 3; }
int in_main() { return 4; }

struct Global {
  Global() { sink = before_main(); }
  ~Global() { after_main(); }
};

Global global;

int main() {
  std::atexit(at_exit_handler);
  sink = in_main();
  return lib_value() == 42 ? 0 : 1;
}
