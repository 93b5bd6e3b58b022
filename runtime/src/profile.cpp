// Snapshots of the counters, and profiles as the difference of two of them.
// All work with names happens here, when someone reads, never on the hot path.
#include "registry.h"
#include "tally/tally.hpp"

#include <algorithm>      // std::sort
#include <ostream>        // std::ostream
#include <string>         // std::to_string
#include <tuple>          // std::tie
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

namespace tally {

namespace detail {

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
    module->read = true;
  }
}

Profile difference(const Snapshot& before, const Snapshot& after) {
  std::vector<Entry> entries;
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
      const tally_site& site = m->begin[i];
      Entry entry;
      entry.signature = signature_of(site);
      entry.name = entry.signature.substr(0, site.name_size);
      entry.file = file_of(site);
      entry.line = site.line;
      entry.count = module.counts[i] - base;
      entries.push_back(std::move(entry));
    }
  }
  return Profile(std::move(entries));
}

}  // namespace detail

Profile::Profile(std::vector<Entry> entries) {
  // One function compiled into several modules (or as several constructor
  // variants) is one entry.
  auto key = [](const Entry& e) {
    return e.signature + '\0' + e.file + '\0' + std::to_string(e.line);
  };
  std::unordered_map<std::string, std::size_t> index;
  for (Entry& entry : entries) {
    auto [it, inserted] = index.emplace(key(entry), entries_.size());
    if (inserted)
      entries_.push_back(std::move(entry));
    else
      entries_[it->second].count += entry.count;
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) {
              if (a.count != b.count) return a.count > b.count;
              return std::tie(a.signature, a.file, a.line) <
                     std::tie(b.signature, b.file, b.line);
            });
}

std::uint64_t Profile::count(std::string_view query) const {
  std::uint64_t sum = 0;
  for (const Entry& entry : entries_)
    if (matches(entry, query)) sum += entry.count;
  return sum;
}

std::uint64_t Profile::total() const {
  std::uint64_t sum = 0;
  for (const Entry& entry : entries_) sum += entry.count;
  return sum;
}

std::ostream& operator<<(std::ostream& os, const Profile& profile) {
  if (profile.empty()) return os << "(no calls)\n";
  std::size_t count_width = 5;  // "count"
  std::size_t function_width = 8;  // "function"
  for (const Entry& e : profile) {
    count_width = std::max(count_width, std::to_string(e.count).size());
    function_width = std::max(function_width, e.signature.size());
  }
  auto pad_left = [&](const std::string& s, std::size_t width) {
    os << std::string(width - s.size(), ' ') << s;
  };
  auto pad_right = [&](const std::string& s, std::size_t width) {
    os << s << std::string(width - s.size(), ' ');
  };
  pad_left("count", count_width);
  os << "  ";
  pad_right("function", function_width);
  os << "  location\n";
  for (const Entry& e : profile) {
    pad_left(std::to_string(e.count), count_width);
    os << "  ";
    pad_right(e.signature, function_width);
    os << "  " << e.file << ':' << e.line << '\n';
  }
  return os;
}

bool instrumented() {
  for (detail::ModuleRecord* m = detail::first_module(); m; m = m->next)
    if (m->live.load(std::memory_order_acquire)) return true;
  return false;
}

}  // namespace tally
