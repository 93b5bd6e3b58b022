// Threads that each compute a deterministic result.
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

long collatz_steps(long n) {
  long steps = 0;
  while (n != 1) {
    n = n % 2 ? 3 * n + 1 : n / 2;
    ++steps;
  }
  return steps;
}

int main() {
  std::vector<long> results(4);
  std::vector<std::thread> threads;
  std::atomic<long> total{0};
  std::mutex mutex;
  long longest = 0;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &results, &total, &mutex, &longest] {
      long sum = 0;
      for (long n = 1 + t * 2500; n <= (t + 1) * 2500; ++n) {
        long s = collatz_steps(n);
        sum += s;
        std::lock_guard<std::mutex> lock(mutex);
        if (s > longest) longest = s;
      }
      results[t] = sum;
      total += sum;
    });
  for (auto& th : threads) th.join();
  for (long r : results) std::printf("%ld\n", r);
  std::printf("total %ld longest %ld\n", total.load(), longest);
}
