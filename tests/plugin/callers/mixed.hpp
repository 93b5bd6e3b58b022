// An inline function that both files of the mixed test compile: one with
// callers, one without.  The linker keeps either copy of its group.
#ifndef TALLY_TEST_CALLERS_MIXED_HPP
#define TALLY_TEST_CALLERS_MIXED_HPP

namespace mixed {

int leaf(int x);

inline int twice(int x) {  // calls: 3 mixed::twice(int)
  return leaf(x) + leaf(x + 1);
}

int from_other(int x);

}  // namespace mixed

#endif
