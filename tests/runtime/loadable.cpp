// An instrumented module that dlopen_test.cpp loads and unloads: many
// functions, so that reading its counters takes a while.
#define TALLY_F(i) int f##i(int x) { return x + i; }
#define TALLY_F10(i) TALLY_F(i##0) TALLY_F(i##1) TALLY_F(i##2) TALLY_F(i##3) TALLY_F(i##4) \
                     TALLY_F(i##5) TALLY_F(i##6) TALLY_F(i##7) TALLY_F(i##8) TALLY_F(i##9)
#define TALLY_F100(i) TALLY_F10(i##0) TALLY_F10(i##1) TALLY_F10(i##2) TALLY_F10(i##3) \
                      TALLY_F10(i##4) TALLY_F10(i##5) TALLY_F10(i##6) TALLY_F10(i##7) \
                      TALLY_F10(i##8) TALLY_F10(i##9)

namespace loadable {
TALLY_F100(1)
TALLY_F100(2)
TALLY_F100(3)
TALLY_F100(4)
TALLY_F100(5)

int leaf(int x) { return x * 2; }
}  // namespace loadable

extern "C" int loadable_work(int calls) {
  int total = 0;
  for (int i = 0; i < calls; ++i) total += loadable::leaf(i);
  return total;
}
