// Snapshots of the counters, and profiles as the difference of two of them.
// All work with names happens here, when someone reads, never on the hot path.
#include "registry.h"
#include "tally/tally.hpp"

#include <algorithm>      // std::sort
#include <ostream>        // std::ostream
#include <string>         // std::to_string
#include <tuple>          // std::tie
#include <unordered_map>  // std::unordered_map

namespace tally {

namespace detail {

Snapshot take_snapshot() {
  Snapshot snapshot;
  for (ModuleRecord* m = first_module(); m; m = m->next) {
    if (!m->live.load(std::memory_order_acquire)) continue;
    const tally_site* end = m->end.load(std::memory_order_relaxed);
    Snapshot::Module module{m, m->generation.load(std::memory_order_relaxed),
                            {}};
    module.counts.reserve(static_cast<std::size_t>(end - m->begin));
    for (const tally_site* site = m->begin; site != end; ++site)
      module.counts.push_back(
          __atomic_load_n(counter_of(*site), __ATOMIC_RELAXED));
    snapshot.modules.push_back(std::move(module));
  }
  return snapshot;
}

Profile difference(const Snapshot& before, const Snapshot& after) {
  std::unordered_map<const void*, const Snapshot::Module*> earlier;
  for (const Snapshot::Module& module : before.modules)
    earlier.emplace(module.id, &module);

  std::vector<Entry> entries;
  for (const Snapshot::Module& module : after.modules) {
    const auto* m = static_cast<const ModuleRecord*>(module.id);
    auto it = earlier.find(module.id);
    const Snapshot::Module* old =
        it != earlier.end() && it->second->generation == module.generation
            ? it->second
            : nullptr;
    for (std::size_t i = 0; i < module.counts.size(); ++i) {
      std::uint64_t base =
          old && i < old->counts.size() ? old->counts[i] : 0;
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
