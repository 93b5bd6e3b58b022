int mixed_c(int x);
int mixed_cpp(int x);
int main(void) { return mixed_c(1) + mixed_cpp(2) == 5 ? 0 : 1; }
