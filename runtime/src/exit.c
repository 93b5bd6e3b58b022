/* libtally-exit.so, which tally record preloads (LD_PRELOAD) into the
 * programs it runs: _exit() and _Exit() that copy a process's counts into
 * its session first, since a process that ends with them skips exit handlers
 * and destructors.  libtally sets the hook when the process joins a session
 * (and its session code does nothing in a vfork() child, which shares the
 * memory of another process).  C only, needing nothing beyond the C
 * library, since every program of the recorded command loads it,
 * instrumented or not.  Without a session it only ends the process, as the
 * C library's functions do.
 *
 * libtally itself defines neither: programs that are not recording (built
 * with TALLY_INSTRUMENT=OFF, or run without tally record) keep the C
 * library's. */
#include <sys/syscall.h> /* SYS_exit_group */
#include <unistd.h>      /* syscall */

void (*volatile __tally_exit_hook)(void) = 0;

static void end(int status) __attribute__((noreturn));
static void end(int status) {
  void (*hook)(void) = __tally_exit_hook;
  if (hook) hook();
  for (;;) syscall(SYS_exit_group, status);
}

void _exit(int status) { end(status); }
void _Exit(int status) { end(status); }
