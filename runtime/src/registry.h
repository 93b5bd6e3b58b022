// The process-wide list of instrumented modules.  Internal to libtally.
#ifndef TALLY_RUNTIME_REGISTRY_H_
#define TALLY_RUNTIME_REGISTRY_H_

#include "tally/detail/site.h"

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
  ModuleRecord* next;
};

ModuleRecord* first_module();

inline const std::uint64_t* counter_of(const tally_site& site) {
  return reinterpret_cast<const std::uint64_t*>(
      reinterpret_cast<const char*>(&site.counter) + site.counter);
}

inline const char* signature_of(const tally_site& site) {
  return reinterpret_cast<const char*>(&site.signature) + site.signature;
}

inline const char* file_of(const tally_site& site) {
  return reinterpret_cast<const char*>(&site.file) + site.file;
}

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_REGISTRY_H_
