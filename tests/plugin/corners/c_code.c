/* C sources are instrumented like C++. */
static int square(int x) { return x * x; }  // calls: 3 square(int)

int sum_squares(int n) {  // calls: 1 sum_squares(int)
  int total = 0;
  for (int i = 0; i < n; ++i) total += square(i);
  return total;
}

int no_prototype() { return 4; }  // calls: 1 no_prototype()
