int mixed_c(int x) { return x * 2; }
