// Inflating and decoding unit descriptions (see tally/detail/site.h).
#include "units.h"

#include <unordered_map>  // std::unordered_map

namespace tally::detail {
namespace {

const char* at(const void* field, std::int32_t offset) {
  return reinterpret_cast<const char*>(field) + offset;
}

}  // namespace

const Description& Describer::decode(const tally_unit* unit) {
  auto [it, inserted] = units_.try_emplace(unit);
  Description& decoded = it->second;
  if (!inserted) return decoded;
  decoded.files.push_back(at(&unit->file, unit->file));
  const char* stored = at(&unit->description, unit->description);
  std::string bytes;
  if (!inflate_bytes(stored, unit->size, unit->raw_size, bytes))
    bytes.clear();  // decoded as no functions: sites read as unknown
  decode_description(bytes, decoded);
  return decoded;
}

SiteList site_list(const tally_site* begin, const tally_site* end, Describer& describer) {
  SiteList list;
  for (const tally_site* site = begin; site != end; ++site) {
    list.entries.push_back(describer.entry(*site));
    list.calls.push_back(list.entries.back().kind == Entry::Kind::call_site
                             ? describer.call_site(*site)
                             : CallSite{});
  }
  return list;
}

std::string encode_sites(const SiteList& sites) {
  Description d;
  std::unordered_map<std::string, std::size_t> file_index;
  auto file = [&](const std::string& name) {
    auto [it, added] = file_index.try_emplace(name, d.files.size());
    if (added) d.files.push_back(name);
    return it->second;
  };
  // The index of each caller: a site that counts its entries, or a function
  // added after the sites.
  std::unordered_map<std::string, std::size_t> function_index;
  for (std::size_t i = 0; i < sites.entries.size(); ++i) {
    const Entry& e = sites.entries[i];
    d.functions.push_back({e.line, e.name.size(), file(e.file), e.signature,
                           e.kind == Entry::Kind::calls});
    d.functions.back().site = e.kind == Entry::Kind::call_site;
    if (e.kind == Entry::Kind::entries) function_index.try_emplace(e.signature, i);
  }
  std::vector<Description::Function> callers;
  for (std::size_t i = 0; i < sites.entries.size(); ++i) {
    if (!d.functions[i].site) continue;
    const CallSite& call = i < sites.calls.size() ? sites.calls[i] : CallSite{};
    auto [it, added] =
        function_index.try_emplace(call.caller, d.functions.size() + callers.size());
    if (added) callers.push_back({0, call.caller_name.size(), file(""), call.caller});
    d.functions[i].column = call.column;
    d.functions[i].caller = it->second;
  }
  d.functions.insert(d.functions.end(), callers.begin(), callers.end());
  return encode_description(d);
}

bool decode_sites(const std::string& raw, std::size_t count, SiteList& into) {
  Description d;
  if (!decode_description(raw, d) || d.functions.size() < count) return false;
  for (const Description::Function& f : d.functions)
    if (f.name_size > f.signature.size() || f.file >= d.files.size()) return false;
  for (std::size_t i = 0; i < count; ++i) {
    const Description::Function& f = d.functions[i];
    Entry e;
    e.signature = f.signature;
    e.name = f.signature.substr(0, f.name_size);
    e.file = d.files[f.file];
    e.line = f.line;
    e.kind = f.site ? Entry::Kind::call_site : f.calls ? Entry::Kind::calls : Entry::Kind::entries;
    CallSite call;
    if (f.site) {
      if (f.caller >= d.functions.size() || d.functions[f.caller].site) return false;
      const Description::Function& caller = d.functions[f.caller];
      call.callee = e.signature;
      call.callee_name = e.name;
      call.file = e.file;
      call.line = e.line;
      call.column = f.column;
      call.caller = caller.signature;
      call.caller_name = caller.signature.substr(0, caller.name_size);
    }
    into.entries.push_back(std::move(e));
    into.calls.push_back(std::move(call));
  }
  return true;
}

Entry Describer::entry(const tally_site& site) {
  const Description& unit = decode(unit_of(site));
  Entry entry;
  if (site.index >= unit.functions.size()) {
    entry.signature = entry.name = "(function with an unreadable description)";
    return entry;
  }
  const Description::Function& f = unit.functions[site.index];
  entry.signature = f.signature;
  entry.name = f.signature.substr(0, f.name_size);
  entry.file = f.file < unit.files.size() ? unit.files[f.file] : std::string();
  entry.line = f.line;
  entry.kind = f.site    ? Entry::Kind::call_site
               : f.calls ? Entry::Kind::calls
                         : Entry::Kind::entries;
  return entry;
}

bool Describer::is_call_site(const tally_site& site) {
  const Description& unit = decode(unit_of(site));
  return site.index < unit.functions.size() && unit.functions[site.index].site;
}

CallSite Describer::call_site(const tally_site& site) {
  const Description& unit = decode(unit_of(site));
  CallSite s;
  if (site.index >= unit.functions.size()) return s;
  const Description::Function& f = unit.functions[site.index];
  s.callee = f.signature;
  s.callee_name = f.signature.substr(0, f.name_size);
  s.file = f.file < unit.files.size() ? unit.files[f.file] : std::string();
  s.line = f.line;
  s.column = f.column;
  if (f.caller < unit.functions.size() && !unit.functions[f.caller].site) {
    const Description::Function& caller = unit.functions[f.caller];
    s.caller = caller.signature;
    s.caller_name = caller.signature.substr(0, caller.name_size);
  } else {
    s.caller = s.caller_name = "(function with an unreadable description)";
  }
  return s;
}

}  // namespace tally::detail
