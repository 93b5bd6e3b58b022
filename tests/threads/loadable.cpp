// An instrumented library that the tests load with dlopen().
extern "C" int threads_loadable_work(int n);

namespace loadable {
__attribute__((noinline)) int leaf(int x) { return x + 1; }
}  // namespace loadable

extern "C" int threads_loadable_work(int n) {
  int x = 0;
  for (int i = 0; i < n; ++i) x = loadable::leaf(x);
  return x;
}
