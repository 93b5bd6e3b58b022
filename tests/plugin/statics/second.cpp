static int helper() { return 2; }  // calls: 3 helper()

int second_file() { return helper() + helper() + helper(); }  // calls: 1 second_file()
