// Inflating and decoding unit descriptions (see tally/detail/site.h).
#include "units.h"

#include <zlib.h>  // uncompress, compress2

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

bool decode_description(const std::string& bytes, Description& into) {
  Reader in(bytes);
  for (std::uint64_t n = in.varint(); n > 0 && !in.failed(); --n)
    into.files.push_back(in.string());
  while (!in.failed() && !in.done()) {
    Description::Function f;
    f.line = static_cast<std::uint32_t>(in.varint());
    f.name_size = in.varint();
    f.file = in.varint();
    f.signature = in.string();
    if (!in.failed()) into.functions.push_back(std::move(f));
  }
  return !in.failed();
}

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

bool inflate_bytes(const char* data, std::size_t size, std::size_t raw_size, std::string& raw) {
  if (raw_size == size) {
    raw.assign(data, size);
    return true;
  }
  raw.resize(raw_size);
  uLongf inflated = raw_size;
  return uncompress(reinterpret_cast<Bytef*>(&raw[0]), &inflated,
                    reinterpret_cast<const Bytef*>(data), size) == Z_OK &&
         inflated == raw_size;
}

std::string deflate_bytes(const std::string& bytes) {
  std::string out(compressBound(bytes.size()), '\0');
  uLongf size = out.size();
  if (compress2(reinterpret_cast<Bytef*>(&out[0]), &size,
                reinterpret_cast<const Bytef*>(bytes.data()), bytes.size(),
                Z_BEST_COMPRESSION) != Z_OK ||
      size >= bytes.size())
    return {};
  out.resize(size);
  return out;
}

namespace {

void put_varint(std::string& out, std::uint64_t value) {
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(value ? byte | 0x80 : byte));
  } while (value);
}

}  // namespace

std::string encode_entries(const std::vector<Entry>& entries) {
  std::vector<const std::string*> files;
  std::unordered_map<std::string, std::size_t> index;
  for (const Entry& e : entries)
    if (index.try_emplace(e.file, files.size()).second) files.push_back(&e.file);
  std::string out;
  put_varint(out, files.size());
  for (const std::string* file : files) out.append(file->c_str(), file->size() + 1);
  for (const Entry& e : entries) {
    put_varint(out, e.line);
    put_varint(out, e.name.size());
    put_varint(out, index[e.file]);
    out.append(e.signature.c_str(), e.signature.size() + 1);
  }
  return out;
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
  return entry;
}

}  // namespace tally::detail
