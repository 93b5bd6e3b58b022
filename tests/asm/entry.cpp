// Functions whose machine code is compared with and without the plugin.
struct Account {
  long balance;
  long deposit(long amount);
};

long Account::deposit(long amount) { return balance += amount; }

int scale(int x, int y) { return x * y + 3; }

template <class T>
T clamp(T v, T lo, T hi) { return v < lo ? lo : hi < v ? hi : v; }
template int clamp<int>(int, int, int);  // a COMDAT function
