// A coroutine counts once per call, however often it is resumed.
#include <coroutine>
#include <exception>
#include <initializer_list>

struct Generator {
  struct promise_type {
    int value = 0;
    Generator get_return_object() {  // calls: 2 Generator::promise_type::get_return_object()
      return Generator{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }  // calls: 2 Generator::promise_type::initial_suspend()
    std::suspend_always final_suspend() noexcept { return {}; }  // calls: 2 Generator::promise_type::final_suspend()
    std::suspend_always yield_value(int v) {  // calls: 6 Generator::promise_type::yield_value(int)
      value = v;
      return {};
    }
    void return_void() {}  // calls: 2 Generator::promise_type::return_void()
    void unhandled_exception() { std::terminate(); }  // calls: none
  };
  explicit Generator(std::coroutine_handle<promise_type> h) : handle(h) {}  // calls: 2 Generator::Generator(std::coroutine_handle<Generator::promise_type>)
  Generator(Generator&& other) noexcept : handle(other.handle) { other.handle = {}; }  // calls: none
  ~Generator() {  // calls: 2 Generator::~Generator()
    if (handle) handle.destroy();
  }
  std::coroutine_handle<promise_type> handle;
};

Generator count_to(int n) {  // calls: 2 count_to(int)
  for (int i = 1; i <= n; ++i) co_yield i;
}

volatile int sink;

void run() {  // calls: 1 run()
  for (int n : {2, 4}) {
    Generator g = count_to(n);
    while (true) {
      g.handle.resume();
      if (g.handle.done()) break;
      sink = g.handle.promise().value;
    }
  }
}

// query: count_to = 2
