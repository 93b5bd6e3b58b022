#ifndef TALLY_TESTS_SESSION_COUNTED_HPP_
#define TALLY_TESTS_SESSION_COUNTED_HPP_

namespace work {

void tick();  // called by the worker
void tock();  // never called

}  // namespace work

#endif  // TALLY_TESTS_SESSION_COUNTED_HPP_
