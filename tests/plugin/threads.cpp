// Counting is exact across threads: 8 threads x 50,000 calls.
#include <atomic>
#include <thread>
#include <vector>

namespace mt {

std::atomic<long> total{0};
__attribute__((noinline)) void hit(long v) { total.fetch_add(v, std::memory_order_relaxed); }  // calls: 400000 mt::hit(long)
inline void hot(long v) { total.fetch_add(v, std::memory_order_relaxed); }  // calls: 400000 mt::hot(long)

void worker() {  // calls: 8 mt::worker()
  for (int i = 0; i < 50000; ++i) {
    hit(i);
    hot(i);
  }
}

}  // namespace mt

void run() {  // calls: 1 run()
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) threads.emplace_back(mt::worker);
  for (std::thread& t : threads) t.join();
}

// query: mt::hit = 400000
