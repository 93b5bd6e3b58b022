// Two file-static functions that print alike are two entries.
static int helper() { return 1; }  // calls: 2 helper()

int second_file();

volatile int sink;

void run() {  // calls: 1 run()
  sink = helper() + helper() + second_file();
}

// query: helper = 5
