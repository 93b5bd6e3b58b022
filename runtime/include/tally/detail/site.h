/* The binary interface between code compiled with the tally plugin and the
 * tally runtime.  Subject to change: only the plugin and libtally use it.
 *
 * The plugin emits one `tally_site` per instrumented function into the ELF
 * section TALLY_SITE_SECTION of the object file.  The linker concatenates the
 * sections of a module (executable or shared object) and defines the hidden
 * symbols __start_tally_sites / __stop_tally_sites around them; a hidden
 * constructor of each module passes that range to __tally_register_module().
 *
 * A site points to its counter and to a `tally_unit`, which describes the
 * function (name, signature, file, line).  The functions of one object file
 * that are not in COMDAT groups share one unit, whose description is
 * compressed with zlib; a function in a COMDAT group (an inline function, a
 * template instantiation) has a unit of its own in its counter's group, so
 * that the linker keeps one description of it per module.
 *
 * Every reference is a byte offset from the referring field itself, so
 * records need no dynamic relocation and can live in read-only memory.
 *
 * Counters live apart from records, in zero-initialised memory, 8 bytes
 * each.  On x86-64 they are the layout of every thread's own counters, not
 * the counters themselves: a thread adds one to (counter + delta), where
 * delta, its own for each module, is found through the thread's table
 * (__tally_thread_table, at the module's slot) and places the thread's copy
 * of the range of the module's counters (its mirror) somewhere in memory.
 * Only that thread writes its mirror, with a plain increment; readers add
 * up the counter itself and every thread's mirror.  Where the delta is 0
 * the call counts in the counter itself, with a locked increment: calls
 * made before the module registered, by a thread that libtally did not see
 * start, or when memory is short; on other targets, every call. */
#ifndef TALLY_DETAIL_SITE_H_
#define TALLY_DETAIL_SITE_H_

#include <stdint.h>  /* int32_t, uint32_t */

#define TALLY_SITE_SECTION "tally_sites"
#define TALLY_SITE_FORMAT 6u

#ifdef __cplusplus
extern "C" {
#endif

struct tally_site {
  int32_t counter;  /* offset of the function's uint64_t entry counter */
  int32_t unit;     /* offset of the tally_unit that describes it */
  uint32_t index;   /* its index among the functions of the unit */
};

/* The description of a unit's functions, once inflated, is
 *   varint F, then F NUL-terminated paths: the files other than `file`
 *   for each function:
 *     varint line       line of the function's name (or lambda's '[')
 *     varint name       name_size * 2 + calls: the name is the first
 *                       name_size bytes of signature; calls is 1 where the
 *                       counter counts calls of a function that is not
 *                       instrumented at their call sites, 0 for entries
 *     varint file       file * 2 + site, where file 0 is `file` and k the
 *                       k-th path above, and site is 1 for one call site
 *                       (callers) of a counted function, whose name and
 *                       signature these are (calls: how it is counted)
 *     signature, NUL-terminated
 *   and after a call site's signature, where line and file are the call's:
 *     varint column     column of the call
 *     varint caller     index among the unit's functions of the calling one
 *     varint callee file, varint callee line: the callee's, like file and line
 * where a varint is unsigned LEB128. */
struct tally_unit {
  uint32_t format;       /* TALLY_SITE_FORMAT */
  uint32_t size;         /* bytes of description */
  uint32_t raw_size;     /* bytes once inflated; equal to size: not deflated */
  int32_t description;   /* offset of the description */
  int32_t file;          /* offset of a NUL-terminated absolute source path */
};

/* One per instrumented module (a COMDAT keeps one copy), in writable
 * memory: the module's counting code reads `slot`, the runtime writes it. */
struct tally_module {
  int64_t slot;  /* byte offset of the module's delta in a thread table; 0: none */
  const struct tally_site *sites_begin, *sites_end;
  /* Executables' code reads a delta of the module's own (local-exec TLS,
   * __tally_delta) instead of the table: its offset from the thread
   * pointer, 0 where there is none. */
  int64_t tls;
};

/* Called once per loaded module, before its other constructors.  Idempotent
 * for a module that is already registered.  Thread-safe. */
void __tally_register(struct tally_module *module);
/* Called when a module is unloaded (its destructors run).  Its counters are
 * no longer read afterwards. */
void __tally_unregister(struct tally_module *module);

/* Called by a module whose code reads its own delta, with the address of
 * the delta in the thread that runs it: the runtime sets the delta in each
 * thread along with the thread's table. */
void __tally_register_tls(struct tally_module *module, int64_t *delta);

/* The same for a module whose counters are only the ones its sites point
 * to (no thread counts through a mirror). */
void __tally_register_module(const struct tally_site *begin,
                             const struct tally_site *end);
void __tally_unregister_module(const struct tally_site *begin);

/* A thread's table: at byte offset `slot` of a module, the thread's delta
 * for that module (0: none).  A thread that libtally has not seen start
 * (one that was running before libtally was loaded) has a shared table of
 * zeros.  Initial-exec TLS: 8 bytes of static TLS in all. */
extern __thread int64_t *__tally_thread_table
    __attribute__((tls_model("initial-exec")));

#ifdef __cplusplus
}
#endif

#endif /* TALLY_DETAIL_SITE_H_ */
