extern "C" int mixed_cpp(int x) { return x + 1; }
