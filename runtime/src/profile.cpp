// Snapshots of the counters, and profiles as the difference of two of them.
// All work with names happens here, when someone reads, never on the hot path.
#include "entries.h"
#include "registry.h"
#include "table.h"
#include "tally/tally.hpp"

#include <algorithm>      // std::sort, std::min, std::equal
#include <map>            // std::map
#include <memory>         // std::unique_ptr
#include <cstddef>        // std::ptrdiff_t
#include <ostream>        // std::ostream
#include <regex>          // std::regex
#include <set>            // std::set
#include <string>         // std::to_string
#include <tuple>          // std::tie
#include <vector>         // std::vector

namespace tally {

namespace detail {

namespace {

// The value of every counter of every registered module at one moment.
struct Snapshot {
  struct Module {
    const void* id;
    std::uint64_t generation;
    bool read;  // false: the module was not loaded when read() ran
    std::vector<std::uint64_t> counts;
  };
  std::vector<Module> modules;
};

// Makes room in `snapshot` for the counters of every module loaded now.
void prepare(Snapshot& snapshot) {
  snapshot.modules.clear();
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    std::uint64_t generation = m->generation.load(std::memory_order_relaxed);
    ModuleReader reader(m, generation);
    if (!reader) continue;
    const tally_site* end = m->end.load(std::memory_order_relaxed);
    snapshot.modules.push_back(
        {m, generation, false,
         std::vector<std::uint64_t>(static_cast<std::size_t>(end - m->begin))});
  }
}

// Reads every counter into `snapshot`.  Allocates nothing unless modules were
// loaded since prepare().
void read(Snapshot& snapshot) {
  for (Snapshot::Module& module : snapshot.modules) module.read = false;
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    std::uint64_t generation = m->generation.load(std::memory_order_relaxed);
    ModuleReader reader(m, generation);
    if (!reader) continue;
    Snapshot::Module* module = nullptr;
    for (Snapshot::Module& candidate : snapshot.modules)
      if (candidate.id == m) module = &candidate;
    if (!module) {  // loaded since prepare()
      snapshot.modules.push_back({m, generation, false, {}});
      module = &snapshot.modules.back();
    }
    const tally_site* end = m->end.load(std::memory_order_relaxed);
    module->generation = generation;
    module->counts.resize(static_cast<std::size_t>(end - m->begin));
    for (std::size_t i = 0; i < module->counts.size(); ++i)
      module->counts[i] = __atomic_load_n(counter_of(m->begin[i]), __ATOMIC_RELAXED);
    add_mirrors(m->slot, m->begin, module->counts.size(), module->counts.data());
    module->read = true;
  }
}

// The calls counted in `after` and not in `before`.
Profile difference(const Snapshot& before, const Snapshot& after) {
  std::vector<Entry> entries;
  std::vector<CallSite> sites;
  Describer describer;
  for (const Snapshot::Module& module : after.modules) {
    if (!module.read) continue;
    auto* m = static_cast<ModuleRecord*>(const_cast<void*>(module.id));
    ModuleReader reader(m, module.generation);
    if (!reader) continue;  // unloaded since: its names are gone
    const Snapshot::Module* old = nullptr;
    for (const Snapshot::Module& candidate : before.modules)
      if (candidate.id == module.id && candidate.read &&
          candidate.generation == module.generation)
        old = &candidate;
    for (std::size_t i = 0; i < module.counts.size(); ++i) {
      std::uint64_t base = old && i < old->counts.size() ? old->counts[i] : 0;
      if (module.counts[i] <= base) continue;
      if (describer.is_call_site(m->begin[i])) {
        CallSite site = describer.call_site(m->begin[i]);
        site.count = module.counts[i] - base;
        sites.push_back(std::move(site));
        continue;
      }
      Entry entry = describer.entry(m->begin[i]);
      entry.count = module.counts[i] - base;
      entries.push_back(std::move(entry));
    }
  }
  return Profile(std::move(entries), std::move(sites));
}

}  // namespace

}  // namespace detail

// Both snapshots are made ready first, so that reading `after` allocates
// nothing (unless modules were loaded since).
struct Profiler::Counts {
  detail::Snapshot before, after;
};

Profiler::Profiler() {
  std::unique_ptr<Counts> counts(new Counts);  // freed if prepare() throws
  detail::prepare(counts->before);
  detail::prepare(counts->after);
  detail::read(counts->before);
  counts_ = counts.release();
}

Profiler::~Profiler() { delete counts_; }

Profiler::Profiler(Profiler&& other) noexcept : counts_(other.counts_) { other.counts_ = nullptr; }

Profiler& Profiler::operator=(Profiler&& other) noexcept {
  if (this != &other) {
    delete counts_;
    counts_ = other.counts_;
    other.counts_ = nullptr;
  }
  return *this;
}

Profile Profiler::calls() {
  if (!counts_) return Profile();
  detail::read(counts_->after);
  return detail::difference(counts_->before, counts_->after);
}

namespace detail {

std::string location(const Entry& entry) {
  std::string at = entry.file.empty() ? std::string() : entry.file + ':' + std::to_string(entry.line);
  if (entry.kind == Entry::Kind::calls) at += at.empty() ? "(calls into)" : " (calls into)";
  return at;
}

std::vector<Entry> without_counted_twice(std::vector<Entry> entries) {
  std::set<std::string> instrumented;
  for (const Entry& entry : entries)
    if (entry.kind == Entry::Kind::entries) instrumented.insert(entry.signature);
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [&](const Entry& entry) {
                                 return entry.kind == Entry::Kind::calls &&
                                        instrumented.count(entry.signature);
                               }),
                entries.end());
  return entries;
}

std::vector<Entry> one_per_function(std::vector<Entry> entries) {
  Profile merged(std::move(entries));
  std::vector<Entry> result(merged.begin(), merged.end());
  std::sort(result.begin(), result.end(), FunctionOrder());
  return result;
}

}  // namespace detail

namespace {

// The order of call sites, and what makes two one: the same call of the
// same callee in the same caller.
auto site_key(const CallSite& s) {
  return std::tie(s.caller, s.file, s.line, s.column, s.callee);
}

// The call sites, one per call (several modules may hold one inline
// function's), most calls first.
std::vector<CallSite> one_per_call(std::vector<CallSite> sites) {
  std::sort(sites.begin(), sites.end(),
            [](const CallSite& a, const CallSite& b) { return site_key(a) < site_key(b); });
  std::vector<CallSite> merged;
  for (CallSite& site : sites) {
    if (!merged.empty() && site_key(merged.back()) == site_key(site))
      merged.back().count += site.count;
    else
      merged.push_back(std::move(site));
  }
  std::sort(merged.begin(), merged.end(), [](const CallSite& a, const CallSite& b) {
    if (a.count != b.count) return a.count > b.count;
    return site_key(a) < site_key(b);
  });
  return merged;
}

// Whether `query` names the function that `site` calls.
bool calls(const CallSite& site, std::string_view query) {
  return detail::matches_function(site.callee_name, site.callee, query);
}

// Whether `query` names the function that `site` is in.
bool called_from(const CallSite& site, std::string_view query) {
  return detail::matches_function(site.caller_name, site.caller, query);
}

}  // namespace

Profile::Profile(std::vector<Entry> entries, std::vector<CallSite> call_sites)
    : Profile(std::move(entries)) {
  call_sites_ = one_per_call(std::move(call_sites));
}

Profile::Profile(std::vector<Entry> entries) {
  // One entry per function (SameFunction): one function compiled into
  // several modules, or as several constructor variants, is one entry.
  // Calls counted at call sites of a function counted here too are in its
  // entry count already.  Call sites are not functions.
  std::map<Entry, std::size_t, FunctionOrder> index;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const Entry& e) { return e.kind == Entry::Kind::call_site; }),
                entries.end());
  entries = detail::without_counted_twice(std::move(entries));
  for (Entry& entry : entries) {
    auto [it, inserted] = index.emplace(entry, entries_.size());
    if (inserted)
      entries_.push_back(std::move(entry));
    else
      entries_[it->second].count += entry.count;
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.count != b.count) return a.count > b.count;
    return FunctionOrder()(a, b);
  });
}

std::uint64_t Profile::count(std::string_view query) const {
  std::uint64_t sum = 0;
  for (const Entry& entry : entries_)
    if (matches(entry, query)) sum += entry.count;
  return sum;
}

std::uint64_t Profile::count(std::string_view query, const From& from) const {
  std::uint64_t sum = 0;
  for (const CallSite& site : call_sites_)
    if (calls(site, query) && called_from(site, from.caller)) sum += site.count;
  return sum;
}

std::vector<CallSite> Profile::callers(std::string_view query) const {
  std::vector<CallSite> rows;
  std::uint64_t at_sites = 0;
  for (const CallSite& site : call_sites_)
    if (calls(site, query)) {
      rows.push_back(site);
      at_sites += site.count;
    }
  // In the order of call_sites_: most calls first.
  std::uint64_t all = count(query);
  if (all > at_sites) {
    CallSite elsewhere;
    elsewhere.count = all - at_sites;
    rows.push_back(std::move(elsewhere));
  }
  return rows;
}

std::uint64_t Profile::total() const {
  std::uint64_t sum = 0;
  for (const Entry& entry : entries_) sum += entry.count;
  return sum;
}

// The call sites of the functions of `entries`.
static std::vector<CallSite> sites_of(const std::vector<CallSite>& sites,
                                      const std::vector<Entry>& entries) {
  std::set<std::string> kept;
  for (const Entry& e : entries) kept.insert(e.signature);
  std::vector<CallSite> out;
  for (const CallSite& site : sites)
    if (kept.count(site.callee)) out.push_back(site);
  return out;
}

Profile Profile::top(std::size_t n) const {
  Profile result;
  result.entries_.assign(entries_.begin(),
                         entries_.begin() + static_cast<std::ptrdiff_t>(std::min(n, entries_.size())));
  result.call_sites_ = sites_of(call_sites_, result.entries_);
  return result;
}

Profile Profile::matching(std::string_view regex) const {
  std::regex pattern{std::string(regex)};
  std::vector<Entry> picked;
  for (const Entry& e : entries_)
    if (std::regex_search(e.name, pattern)) picked.push_back(e);
  std::vector<CallSite> sites = sites_of(call_sites_, picked);
  return Profile(std::move(picked), std::move(sites));
}

std::vector<Change> changes(const Profile& before, const Profile& after) {
  std::map<Entry, Change, FunctionOrder> by_key;  // one per function (SameFunction)
  for (const Entry& e : before)
    by_key[e] = Change{e.signature, e.name, e.file, e.line, e.count, 0, e.kind};
  for (const Entry& e : after) {
    auto [it, inserted] =
        by_key.try_emplace(e, Change{e.signature, e.name, e.file, e.line, 0, 0, e.kind});
    it->second.after = e.count;
  }
  std::vector<Change> result;
  for (auto& [k, change] : by_key)
    if (change.before != change.after) result.push_back(std::move(change));
  auto size = [](const Change& c) { return c.after > c.before ? c.after - c.before : c.before - c.after; };
  std::sort(result.begin(), result.end(), [&](const Change& a, const Change& b) {
    if (size(a) != size(b)) return size(a) > size(b);
    return FunctionOrder()(a, b);
  });
  return result;
}

bool operator==(const Profile& a, const Profile& b) {
  auto same = [](const Entry& x, const Entry& y) {
    return SameFunction()(x, y) && x.count == y.count;
  };
  auto same_site = [](const CallSite& x, const CallSite& y) {
    return site_key(x) == site_key(y) && x.count == y.count;
  };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same) &&
         std::equal(a.call_sites_.begin(), a.call_sites_.end(), b.call_sites_.begin(),
                    b.call_sites_.end(), same_site);
}

void print_table(std::ostream& os, const Profile& profile, const TableOptions& options) {
  if (profile.empty()) {
    os << "(no calls)\n";
    return;
  }
  std::size_t rows = options.max_rows ? std::min(options.max_rows, profile.size()) : profile.size();
  using Align = detail::Table::Align;
  detail::Table table({{"count", Align::right}, {"function"}, {"location"}},
                      static_cast<bool>(options.mark));
  auto end = profile.begin() + static_cast<std::ptrdiff_t>(rows);
  for (auto it = profile.begin(); it != end; ++it)
    table.add({std::to_string(it->count), it->signature, detail::location(*it)},
              options.mark && options.mark(*it));
  os << table.text();
  if (rows < profile.size()) {
    std::uint64_t calls = 0;
    for (auto it = end; it != profile.end(); ++it) calls += it->count;
    os << (options.mark ? "  " : "") << "... " << profile.size() - rows << " more functions, "
       << calls << " calls\n";
  }
}

std::ostream& operator<<(std::ostream& os, const Profile& profile) {
  print_table(os, profile, TableOptions{});
  return os;
}

void print_call_sites(std::ostream& os, const std::vector<CallSite>& sites,
                      std::size_t max_rows) {
  std::size_t rows = max_rows ? std::min(max_rows, sites.size()) : sites.size();
  using Align = detail::Table::Align;
  detail::Table table({{"count", Align::right}, {"called from"}, {"at"}});
  for (std::size_t i = 0; i < rows; ++i) {
    const CallSite& s = sites[i];
    std::string at;
    if (!s.file.empty())
      at = s.file + ':' + std::to_string(s.line) + ':' + std::to_string(s.column);
    table.add({std::to_string(s.count), s.caller.empty() ? "(elsewhere)" : s.caller, at});
  }
  os << table.text();
  if (rows < sites.size()) {
    std::uint64_t calls = 0;
    for (std::size_t i = rows; i < sites.size(); ++i) calls += sites[i].count;
    os << "... " << sites.size() - rows << " more call sites, " << calls << " calls\n";
  }
}

std::vector<Entry> registered_functions() {
  std::vector<Entry> entries;
  detail::Describer describer;
  for (detail::ModuleRecord* m = detail::first_module(); m; m = m->next) {
    detail::ModuleReader reader(m, m->generation.load(std::memory_order_relaxed));
    if (!reader) continue;
    const tally_site* end = m->end.load(std::memory_order_relaxed);
    for (const tally_site* site = m->begin; site != end; ++site)
      if (!describer.is_call_site(*site)) entries.push_back(describer.entry(*site));
  }
  return detail::one_per_function(std::move(entries));
}

bool instrumented() {
  for (detail::ModuleRecord* m = detail::first_module(); m; m = m->next)
    if (m->live.load(std::memory_order_acquire)) return true;
  return false;
}

}  // namespace tally
