// Module registration, called from the constructor and destructor that the
// plugin adds to every instrumented module.  May run before main() and in
// any order relative to other static initialisers, so it uses only
// constant-initialised state.
#include "registry.h"

#include "dump.h"
#include "session_internal.h"

#include <cstdio>  // std::fprintf
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

extern "C" void __tally_register_module(const tally_site* begin,
                                        const tally_site* end) {
  if (begin == nullptr || end <= begin) return;
  if (!tally::detail::has_known_format(begin, end)) {
    std::fprintf(stderr,
                 "tally: ignoring a module compiled by a different version of "
                 "the tally plugin (site format other than %u); rebuild it "
                 "with the plugin that matches this libtally\n",
                 TALLY_SITE_FORMAT);
    return;
  }
  tally::detail::dump_on_exit_once();
  for (ModuleRecord* m = tally::detail::first_module(); m; m = m->next) {
    if (m->begin != begin) continue;
    if (!m->live.load(std::memory_order_acquire)) {
      m->end.store(end, std::memory_order_relaxed);
      m->generation.fetch_add(1, std::memory_order_relaxed);
      m->live.store(true, std::memory_order_release);
      tally::detail::session_register(m, m->generation.load(std::memory_order_relaxed));
    }
    return;
  }
  auto* m = new ModuleRecord{begin, {end}, {true}, {0}, {0}, nullptr};
  ModuleRecord* head = tally::detail::g_modules.load(std::memory_order_relaxed);
  do {
    m->next = head;
  } while (!tally::detail::g_modules.compare_exchange_weak(
      head, m, std::memory_order_release, std::memory_order_relaxed));
  tally::detail::session_register(m, 0);
}

extern "C" void __tally_unregister_module(const tally_site* begin) {
  for (ModuleRecord* m = tally::detail::first_module(); m; m = m->next) {
    if (m->begin != begin) continue;
    if (m->live.load(std::memory_order_acquire)) {
      tally::detail::retire_counts(m->begin, m->end.load(std::memory_order_relaxed));
      tally::detail::session_unregister(m);
    }
    m->live.store(false, std::memory_order_seq_cst);
    // A profile may be reading the module's counters or records right now.
    while (m->readers.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
  }
}
