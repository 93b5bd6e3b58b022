// Compiled with pch.hpp precompiled.
volatile int sink;

void run() {  // calls: 1 run()
  auto lambda = [](int x) { return x + 1; };  // calls: 1 run::(lambda at pch.cpp:5:17)(int) const
  sink = pch::length("ab") + pch::length("c") + pch::same(1) + lambda(2);
}
