int helper(int x) { return x * 3 + 1; }  // calls: 5 helper(int)
