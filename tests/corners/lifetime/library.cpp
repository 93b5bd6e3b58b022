// A shared library whose static initialiser and destructor call counted
// functions, loaded before the executable's own initialisers run.
int lib_setup() { return 41; }

struct LibGlobal {
  LibGlobal() : value(lib_setup()) {}
  ~LibGlobal() { value = 0; }
  int value;
};

LibGlobal lib_global;

int lib_value() { return lib_global.value + 1; }
