/* libtally-exit.so, which tally record preloads (LD_PRELOAD) into every
 * process that it starts.  A process that ends with _exit() or _Exit()
 * skips exit handlers and destructors; these definitions come before the C
 * library's, and let the process copy its counts into its session first.
 * libtally sets the hook when the process joins a session; until then, and
 * in processes without tally, they only end the process, as the C library's
 * do.  C only, with no dependency beyond the C library, since every program
 * of the recorded command loads it, instrumented or not. */
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
