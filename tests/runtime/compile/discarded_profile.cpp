// Must not compile with -Werror: a profile that nobody looks at is a test
// that asserts nothing ([[nodiscard]] on tally::profile).
#include <tally/tally.hpp>

void forgets() {
  tally::profile([] {});
}
