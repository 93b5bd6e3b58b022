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

std::string encode_entries(const std::vector<Entry>& entries) {
  Description d;
  std::unordered_map<std::string, std::size_t> index;
  for (const Entry& e : entries)
    if (index.try_emplace(e.file, d.files.size()).second) d.files.push_back(e.file);
  for (const Entry& e : entries) {
    d.functions.push_back(
        {e.line, e.name.size(), index[e.file], e.signature, e.kind == Entry::Kind::calls});
    // A call site keeps its place, so that counts stay in step; what it
    // calls from where is not kept.
    d.functions.back().site = e.kind == Entry::Kind::call_site;
  }
  return encode_description(d);
}

bool decode_entries(const std::string& raw, std::vector<Entry>& entries) {
  Description d;
  if (!decode_description(raw, d)) return false;
  for (const Description::Function& f : d.functions) {
    if (f.name_size > f.signature.size() || f.file >= d.files.size()) return false;
    Entry e;
    e.signature = f.signature;
    e.name = f.signature.substr(0, f.name_size);
    e.file = d.files[f.file];
    e.line = f.line;
    e.kind = f.site ? Entry::Kind::call_site : f.calls ? Entry::Kind::calls : Entry::Kind::entries;
    entries.push_back(std::move(e));
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
