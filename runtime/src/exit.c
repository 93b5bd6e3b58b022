/* _exit() and _Exit() that copy a process's counts into its session first:
 * a process that ends with them skips exit handlers and destructors.
 *
 * Compiled twice.  Into libtally, where they call the session code directly:
 * they take precedence over the C library's wherever libtally comes first in
 * the program's search order, as when the executable itself links libtally.
 * And into libtally-exit.so, which tally record preloads (LD_PRELOAD) into
 * the programs it runs, for those that find the C library's first (an
 * executable that only loads an instrumented library); libtally sets its hook
 * when the process joins a session.  libtally-exit.so is C only and needs
 * nothing beyond the C library, since every program of the recorded command
 * loads it, instrumented or not.  Without a session, both only end the
 * process, as the C library's do. */
#include <sys/syscall.h> /* SYS_exit_group */
#include <unistd.h>      /* syscall */

#ifdef TALLY_EXIT_PRELOADED
void (*volatile __tally_exit_hook)(void) = 0;
static void copy_counts(void) {
  void (*hook)(void) = __tally_exit_hook;
  if (hook) hook();
}
#else
void __tally_session_exit(void);
static void copy_counts(void) { __tally_session_exit(); }
#endif

static void end(int status) __attribute__((noreturn));
static void end(int status) {
  copy_counts();
  for (;;) syscall(SYS_exit_group, status);
}

void _exit(int status) { end(status); }
void _Exit(int status) { end(status); }
