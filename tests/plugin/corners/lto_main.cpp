// Built with link-time optimisation: the link inlines across files.
int helper(int x);

volatile int sink;

void run() {  // calls: 1 run()
  for (int i = 0; i < 5; ++i) sink = helper(i);
}
