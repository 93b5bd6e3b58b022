// The process-wide list of instrumented modules.  Internal to libtally.
#ifndef TALLY_RUNTIME_REGISTRY_H_
#define TALLY_RUNTIME_REGISTRY_H_

#include "tally/detail/site.h"
#include "tally/tally.hpp"
#include "threads.h"
#include "units.h"

#include <atomic>   // std::atomic
#include <cstdint>  // std::uint64_t

namespace tally::detail {

// One instrumented executable or shared object.  Records are never freed, so
// readers can walk the list without locks while modules come and go; a module
// loaded again at the same address reuses its record with a new generation.
struct ModuleRecord {
  const tally_site* begin;
  std::atomic<const tally_site*> end;
  std::atomic<bool> live;
  std::atomic<std::uint64_t> generation;
  std::atomic<unsigned> readers;  // ModuleReaders reading it now
  ModuleRecord* next;
  // Where threads count through mirrors (threads.h); else all 0.
  tally_module* descriptor;
  std::uint64_t* counters_begin;
  std::uint64_t* counters_end;
  std::int64_t slot;
  std::atomic<std::int64_t> tls;  // tally_module::tls, kept where it stays mapped
};

ModuleRecord* first_module();

// The count of a site of `module`, every thread's calls together.
inline std::uint64_t count_of(const ModuleRecord* module, const tally_site& site);

// In a forked child: the readers of the parent's other threads are gone.
void forget_readers_after_fork();

// Keeps a module mapped while its counters and records are read: unloading
// it (__tally_unregister_module, from its destructor) waits until no reader
// is left.  False when the module is not loaded, or was loaded again since
// `generation`.
class ModuleReader {
 public:
  ModuleReader(ModuleRecord* module, std::uint64_t generation) : module_(module) {
    module_->readers.fetch_add(1, std::memory_order_seq_cst);
    loaded_ = module_->live.load(std::memory_order_seq_cst) &&
              module_->generation.load(std::memory_order_relaxed) == generation;
  }
  ~ModuleReader() { module_->readers.fetch_sub(1, std::memory_order_release); }
  ModuleReader(const ModuleReader&) = delete;
  ModuleReader& operator=(const ModuleReader&) = delete;

  explicit operator bool() const { return loaded_; }

 private:
  ModuleRecord* module_;
  bool loaded_;
};

inline std::uint64_t count_of(const ModuleRecord* module, const tally_site& site) {
  return count_of(module->slot, counter_of(site));
}

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_REGISTRY_H_
