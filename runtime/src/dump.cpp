// TALLY_DUMP_DIR=<dir>: at exit, each process writes the counts of every
// function that ran to <dir>/tally-<pid>.tsv (tally-<pid>-<n>.tsv when a
// reused pid finds its name taken), and where code built with callers
// counted calls at call sites, those to tally-<pid>.callers beside it.  This makes the counts of any
// program visible without changing it (a whole test suite built with
// instrument-all.cmake, say).  Modules unloaded earlier leave their counts
// behind when they go.  A forked child writes only its own calls: what it
// inherited is its parent's, which the parent's dump has.
#include "dump.h"

#include <pthread.h>  // pthread_atfork
#include <unistd.h>   // getpid

#include <cerrno>    // errno
#include <cstdio>    // std::fopen
#include <cstdlib>   // std::getenv, std::atexit
#include <cstring>   // std::strerror
#include <mutex>     // std::mutex
#include <string>    // std::string
#include <vector>    // std::vector

#include "entries.h"
#include "registry.h"

namespace tally::detail {
namespace {

std::mutex g_mutex;
// The counts of unloaded modules.
struct Rows {
  std::vector<Entry> functions;
  std::vector<CallSite> call_sites;
};
Rows* g_retired = nullptr;

// In a forked child, the counts of each module when the process forked.
struct Inherited {
  const ModuleRecord* module;
  std::uint64_t generation;
  std::vector<std::uint64_t> counts;  // by site
};
std::vector<Inherited>* g_inherited = nullptr;

const std::vector<std::uint64_t>* inherited_counts(const ModuleRecord* m) {
  if (!g_inherited) return nullptr;
  for (const Inherited& i : *g_inherited)
    if (i.module == m && i.generation == m->generation.load(std::memory_order_relaxed))
      return &i.counts;
  return nullptr;
}

const char* dump_dir() {
  const char* dir = std::getenv("TALLY_DUMP_DIR");
  return dir && *dir ? dir : nullptr;
}

// Under g_mutex.
void append_rows(const ModuleRecord* m, Rows& rows) {
  Describer describer;
  const std::vector<std::uint64_t>* before = inherited_counts(m);
  const tally_site* end = m->end.load(std::memory_order_relaxed);
  for (const tally_site* site = m->begin; site != end; ++site) {
    std::uint64_t count = count_of(m, *site);
    std::size_t index = static_cast<std::size_t>(site - m->begin);
    if (before && index < before->size())
      count = count > (*before)[index] ? count - (*before)[index] : 0;
    if (count == 0) continue;
    if (describer.is_call_site(*site)) {
      rows.call_sites.push_back(describer.call_site(*site));
      rows.call_sites.back().count = count;
    } else {
      rows.functions.push_back(describer.entry(*site));
      rows.functions.back().count = count;
    }
  }
}

// The call sites, for a dump's .callers file; what is wrong, or nothing.
std::string write_call_sites(const std::string& path, std::vector<CallSite> sites) {
  std::FILE* out = std::fopen(path.c_str(), "wx");
  if (!out) return path + ": " + std::strerror(errno);
  // As in a Profile: one row per call, most calls first.
  sites = Profile({}, std::move(sites)).call_sites();
  std::fprintf(out,
               "# tally call sites 1: count, file, line, column, caller name, caller, callee "
               "name, callee\n");
  for (const CallSite& s : sites)
    std::fprintf(out, "%llu\t%s\t%u\t%u\t%s\t%s\t%s\t%s\n",
                 static_cast<unsigned long long>(s.count), s.file.c_str(), s.line, s.column,
                 s.caller_name.c_str(), s.caller.c_str(), s.callee_name.c_str(),
                 s.callee.c_str());
  if (std::fclose(out) != 0) return path + ": " + std::strerror(errno);
  return {};
}

void write_dump() {
  const char* dir = dump_dir();
  if (!dir) return;
  Rows rows;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_retired) rows = *g_retired;
    for (ModuleRecord* m = first_module(); m; m = m->next) {
      ModuleReader reader(m, m->generation.load(std::memory_order_relaxed));
      if (reader) append_rows(m, rows);
    }
  }
  // A run that starts many processes can reuse a pid: never overwrite.
  std::string base = std::string(dir) + "/tally-" + std::to_string(getpid());
  std::string path = base + ".tsv";
  std::FILE* out = std::fopen(path.c_str(), "wx");
  for (int n = 1; !out && errno == EEXIST && n < 1000; ++n) {
    path = base + "-" + std::to_string(n) + ".tsv";
    out = std::fopen(path.c_str(), "wx");
  }
  if (!out) {
    std::fprintf(stderr, "tally: cannot write %s: %s (from TALLY_DUMP_DIR)\n", path.c_str(),
                 std::strerror(errno));
    return;
  }
  // As in a Profile.
  std::vector<Entry> functions = without_counted_twice(std::move(rows.functions));
  std::fprintf(out, "# tally dump 2: count, file, line, name, signature, kind\n");
  for (const Entry& r : functions) {
    bool calls = r.kind == Entry::Kind::calls;
    std::fprintf(out, "%llu\t%s\t%u\t%s\t%s\t%s\n", static_cast<unsigned long long>(r.count),
                 r.file.c_str(), r.line, r.name.c_str(), r.signature.c_str(),
                 calls ? "calls" : "entries");
  }
  std::fclose(out);
  if (rows.call_sites.empty()) return;
  std::string sites = path.substr(0, path.size() - 4) + ".callers";
  std::string error = write_call_sites(sites, std::move(rows.call_sites));
  if (!error.empty())
    std::fprintf(stderr, "tally: cannot write %s (from TALLY_DUMP_DIR)\n", error.c_str());
}

void before_fork() { g_mutex.lock(); }
void after_fork_in_parent() { g_mutex.unlock(); }

// The thread that forked, alone in the child, before the child runs on.
void after_fork_in_child() {
  if (g_retired) *g_retired = Rows{};  // the parent's unloaded modules
  if (!g_inherited) g_inherited = new std::vector<Inherited>;
  g_inherited->clear();
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    std::uint64_t generation = m->generation.load(std::memory_order_relaxed);
    ModuleReader reader(m, generation);
    if (!reader) continue;
    Inherited inherited{m, generation, {}};
    const tally_site* end = m->end.load(std::memory_order_relaxed);
    inherited.counts.reserve(static_cast<std::size_t>(end - m->begin));
    for (const tally_site* site = m->begin; site != end; ++site)
      inherited.counts.push_back(count_of(m, *site));
    g_inherited->push_back(std::move(inherited));
  }
  g_mutex.unlock();
}

}  // namespace

void dump_on_exit_once() {
  static const bool registered =
      dump_dir() && std::atexit(write_dump) == 0 &&
      pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child) == 0;
  (void)registered;
}

void retire_counts(const ModuleRecord* m) {
  if (!dump_dir()) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_retired) g_retired = new Rows;
  append_rows(m, *g_retired);
}

}  // namespace tally::detail
