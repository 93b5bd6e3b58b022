// Writing every count at exit, for TALLY_DUMP_DIR.  Internal to libtally.
#ifndef TALLY_RUNTIME_DUMP_H_
#define TALLY_RUNTIME_DUMP_H_

namespace tally::detail {

struct ModuleRecord;

// Arranges, once, for the counts to be written at exit when TALLY_DUMP_DIR
// is set.  Called when the first module registers, so that the writing runs
// before any module's destructors unregister it.
void dump_on_exit_once();

// Keeps the counts of a module that is being unloaded, for the dump.
void retire_counts(const ModuleRecord* module);

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_DUMP_H_
