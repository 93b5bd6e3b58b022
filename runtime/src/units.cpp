// Inflating and decoding unit descriptions (see tally/detail/site.h).
#include "units.h"

#include <zlib.h>  // uncompress

#include <cstring>  // std::memchr

namespace tally::detail {
namespace {

const char* at(const void* field, std::int32_t offset) {
  return reinterpret_cast<const char*>(field) + offset;
}

// Reads the description's fields in order; any read past its end leaves it
// failed, with zeros and empty strings.
class Reader {
 public:
  Reader(const std::string& bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; p_ < end_ && shift < 64; shift += 7) {
      auto byte = static_cast<unsigned char>(*p_++);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    failed_ = true;
    return 0;
  }
  std::string string() {
    const void* nul = p_ < end_ ? std::memchr(p_, '\0', end_ - p_) : nullptr;
    if (!nul) {
      failed_ = true;
      return {};
    }
    std::string s(p_, static_cast<const char*>(nul));
    p_ = static_cast<const char*>(nul) + 1;
    return s;
  }
  bool failed() const { return failed_; }
  bool done() const { return p_ == end_; }

 private:
  const char* p_;
  const char* end_;
  bool failed_ = false;
};

}  // namespace

const Describer::Unit& Describer::decode(const tally_unit* unit) {
  auto [it, inserted] = units_.try_emplace(unit);
  Unit& decoded = it->second;
  if (!inserted) return decoded;
  decoded.files.push_back(at(&unit->file, unit->file));
  const char* stored = at(&unit->description, unit->description);
  std::string bytes;
  if (unit->raw_size == unit->size) {
    bytes.assign(stored, unit->size);
  } else {
    bytes.resize(unit->raw_size);
    uLongf size = unit->raw_size;
    if (uncompress(reinterpret_cast<Bytef*>(&bytes[0]), &size,
                   reinterpret_cast<const Bytef*>(stored), unit->size) != Z_OK ||
        size != unit->raw_size)
      bytes.clear();  // decoded as no functions: sites read as unknown
  }
  Reader in(bytes);
  for (std::uint64_t n = in.varint(); n > 0 && !in.failed(); --n)
    decoded.files.push_back(in.string());
  while (!in.failed() && !in.done()) {
    Function f;
    f.line = static_cast<std::uint32_t>(in.varint());
    f.name_size = static_cast<std::uint32_t>(in.varint());
    f.file = static_cast<std::uint32_t>(in.varint());
    f.signature = in.string();
    if (!in.failed()) decoded.functions.push_back(std::move(f));
  }
  return decoded;
}

Entry Describer::entry(const tally_site& site) {
  const Unit& unit = decode(unit_of(site));
  Entry entry;
  if (site.index >= unit.functions.size()) {
    entry.signature = entry.name = "(function with an unreadable description)";
    return entry;
  }
  const Function& f = unit.functions[site.index];
  entry.signature = f.signature;
  entry.name = f.signature.substr(0, f.name_size);
  entry.file = f.file < unit.files.size() ? unit.files[f.file] : std::string();
  entry.line = f.line;
  return entry;
}

}  // namespace tally::detail
