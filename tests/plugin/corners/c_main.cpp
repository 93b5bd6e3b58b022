// Calls into c_code.c, which is C.
extern "C" int sum_squares(int n);
extern "C" int no_prototype();

volatile int sink;

void run() {  // calls: 1 run()
  sink = sum_squares(3) + no_prototype();
}
