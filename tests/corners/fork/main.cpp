// TALLY_DUMP_DIR across fork(): each process dumps only the calls it made
// itself, so the dumps of all processes add up to the calls made.  Calls
// before the fork are the parent's; a module unloaded before the fork is in
// the parent's dump only; one unloaded by the child after it forked, with
// the child's calls only.
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

volatile int sink;

void work() { sink = sink + 1; }
void in_child() { sink = sink + 2; }
void in_grandchild() { sink = sink + 3; }

using Fn = int (*)(int);

void* load() {
  void* handle = dlopen(LOADABLE_PATH, RTLD_NOW);
  if (!handle) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    std::exit(2);
  }
  return handle;
}

Fn find(void* handle, const char* name) { return reinterpret_cast<Fn>(dlsym(handle, name)); }

bool wait_for(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main() {
  for (int i = 0; i < 3; ++i) work();

  void* before = load();
  Fn f = find(before, "loaded_unloaded_before_fork");
  sink = f(1) + f(2);
  dlclose(before);

  void* across = load();
  Fn g = find(across, "loaded_across_fork");
  sink = g(1) + g(2);

  pid_t child = fork();
  if (child == 0) {
    work();
    in_child();
    sink = g(3);
    dlclose(across);
    pid_t grandchild = fork();
    if (grandchild == 0) {
      work();
      in_grandchild();
      std::exit(0);
    }
    std::exit(wait_for(grandchild) ? 0 : 1);
  }
  bool ok = wait_for(child);
  work();
  dlclose(across);
  return ok ? 0 : 1;
}
