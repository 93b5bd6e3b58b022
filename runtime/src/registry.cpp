// Module registration, called from the constructor and destructor that the
// plugin adds to every instrumented module.  May run before main() and in
// any order relative to other static initialisers, so it uses only
// constant-initialised state.
#include "registry.h"

#include "dump.h"
#include "session_internal.h"

#include <algorithm>  // std::min, std::max
#include <cstdio>     // std::fprintf
#include <thread>  // std::this_thread::yield

namespace tally::detail {
namespace {

std::atomic<ModuleRecord*> g_modules{nullptr};

bool has_known_format(const tally_site* begin, const tally_site* end) {
  for (const tally_site* site = begin; site != end; ++site)
    if (unit_of(*site)->format != TALLY_SITE_FORMAT) return false;
  return true;
}

}  // namespace

ModuleRecord* first_module() {
  return g_modules.load(std::memory_order_acquire);
}

}  // namespace tally::detail

using tally::detail::ModuleRecord;

namespace {

// Registers the module whose sites are [begin, end): its counters, and
// where threads count through mirrors, its descriptor.
void register_module(const tally_site* begin, const tally_site* end, tally_module* descriptor) {
  using namespace tally::detail;
  if (begin == nullptr || end <= begin) return;
  if (!has_known_format(begin, end)) {
    std::fprintf(stderr,
                 "tally: ignoring a module compiled by a different version of "
                 "the tally plugin (site format other than %u); rebuild it "
                 "with the plugin that matches this libtally\n",
                 TALLY_SITE_FORMAT);
    return;
  }
  dump_on_exit_once();
  auto publish = [descriptor, begin, end](ModuleRecord* m) {
    // A record reused for a module at the same address may have held one of
    // the other kind: nothing of the old module's descriptor stays.
    m->descriptor = descriptor;
    m->slot = 0;
    m->tls.store(0, std::memory_order_relaxed);
    if (!descriptor) return;
    // The range of the module's counters, which a thread's mirror copies.
    m->counters_begin = m->counters_end = const_cast<std::uint64_t*>(counter_of(*begin));
    for (const tally_site* site = begin; site != end; ++site) {
      auto* counter = const_cast<std::uint64_t*>(counter_of(*site));
      m->counters_begin = std::min(m->counters_begin, counter);
      m->counters_end = std::max(m->counters_end, counter + 1);
    }
    m->slot = take_slot();
    m->tls.store(__atomic_load_n(&descriptor->tls, __ATOMIC_ACQUIRE), std::memory_order_relaxed);
    // From now on the module's code finds its slot, and each thread its
    // delta once its mirror is made; before, every call counted in the
    // counters themselves, with the lock.
    __atomic_store_n(&descriptor->slot, m->slot, __ATOMIC_RELEASE);
  };
  adopt_thread();
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    if (m->begin != begin) continue;
    if (!m->live.load(std::memory_order_acquire)) {
      m->end.store(end, std::memory_order_relaxed);
      m->generation.fetch_add(1, std::memory_order_relaxed);
      publish(m);
      m->live.store(true, std::memory_order_release);
      module_added(*m);
      session_register(m, m->generation.load(std::memory_order_relaxed));
    }
    return;
  }
  auto* m = new ModuleRecord{begin, {end}, {true}, {0}, {0}, nullptr, nullptr, nullptr, nullptr, 0, {0}};
  publish(m);
  ModuleRecord* head = g_modules.load(std::memory_order_relaxed);
  do {
    m->next = head;
  } while (!g_modules.compare_exchange_weak(head, m, std::memory_order_release,
                                           std::memory_order_relaxed));
  module_added(*m);
  session_register(m, 0);
}

void unregister_module(const tally_site* begin) {
  using namespace tally::detail;
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    if (m->begin != begin) continue;
    bool was_live = m->live.load(std::memory_order_acquire);
    if (was_live) {
      retire_counts(m);
      session_unregister(m);
    }
    m->live.store(false, std::memory_order_seq_cst);
    // A profile may be reading the module's counters or records right now.
    while (m->readers.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    // An executable's own deltas are in every thread's TLS, out of reach:
    // its slot and mirrors stay (it unloads only as the process ends).
    if (was_live && m->descriptor && !m->tls.load(std::memory_order_relaxed)) {
      // Calls the module makes from here on (its other destructors) count
      // in its counters, which nobody reads any more.
      __atomic_store_n(&m->descriptor->slot, 0, __ATOMIC_RELEASE);
      give_back_slot(m->slot, m->counters_begin, m->counters_end);
      m->slot = 0;
    }
  }
}

}  // namespace

namespace tally::detail {

void forget_readers_after_fork() {
  for (ModuleRecord* m = first_module(); m; m = m->next)
    m->readers.store(0, std::memory_order_relaxed);
}

}  // namespace tally::detail

extern "C" void __tally_register(tally_module* module) {
  register_module(module->sites_begin, module->sites_end, module);
}

extern "C" void __tally_unregister(tally_module* module) {
  unregister_module(module->sites_begin);
}

extern "C" void __tally_register_tls(tally_module* module, std::int64_t* delta) {
  // Before or after the module registers: constructors of one priority run
  // in no set order.
  std::int64_t tls = tally::detail::tls_offset(delta);
  __atomic_store_n(&module->tls, tls, __ATOMIC_RELEASE);
  for (tally::detail::ModuleRecord* m = tally::detail::first_module(); m; m = m->next)
    if (m->descriptor == module) {
      m->tls.store(tls, std::memory_order_release);
      tally::detail::module_added(*m);
    }
}

extern "C" void __tally_register_module(const tally_site* begin, const tally_site* end) {
  register_module(begin, end, nullptr);
}

extern "C" void __tally_unregister_module(const tally_site* begin) {
  unregister_module(begin);
}
