// The description format of tally/detail/site.h (see description.h).
#include "description.h"

#include <zlib.h>  // uncompress, compress2

#include <cstring>  // std::memchr

namespace tally::detail {
namespace {

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

void put_varint(std::string& out, std::uint64_t value) {
  do {
    unsigned char byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(value ? byte | 0x80 : byte));
  } while (value);
}

}  // namespace

std::string encode_description(const Description& d) {
  std::string out;
  put_varint(out, d.files.size());
  for (const std::string& file : d.files) out.append(file.c_str(), file.size() + 1);
  for (const Description::Function& f : d.functions) {
    put_varint(out, f.line);
    put_varint(out, f.name_size * 2 + (f.calls ? 1 : 0));
    put_varint(out, f.file * 2 + (f.site ? 1 : 0));
    out.append(f.signature.c_str(), f.signature.size() + 1);
    if (f.site) {
      put_varint(out, f.column);
      put_varint(out, f.caller);
      put_varint(out, f.callee_file);
      put_varint(out, f.callee_line);
    }
  }
  return out;
}

bool decode_description(const std::string& bytes, Description& into) {
  Reader in(bytes);
  for (std::uint64_t n = in.varint(); n > 0 && !in.failed(); --n)
    into.files.push_back(in.string());
  while (!in.failed() && !in.done()) {
    Description::Function f;
    f.line = static_cast<std::uint32_t>(in.varint());
    std::uint64_t name = in.varint();
    f.name_size = name / 2;
    f.calls = name % 2;
    std::uint64_t file = in.varint();
    f.file = file / 2;
    f.site = file % 2;
    f.signature = in.string();
    if (f.site) {
      f.column = static_cast<std::uint32_t>(in.varint());
      f.caller = in.varint();
      f.callee_file = in.varint();
      f.callee_line = static_cast<std::uint32_t>(in.varint());
    }
    if (!in.failed()) into.functions.push_back(std::move(f));
  }
  return !in.failed();
}

bool inflate_bytes(const char* data, std::size_t size, std::size_t raw_size, std::string& raw) {
  if (raw_size == size) {
    raw.assign(data, size);
    return true;
  }
  // zlib inflates at most about 1032 bytes from one: a larger raw size
  // (say, 4 GiB from a damaged unit) is wrong, and is not allocated.
  if (raw_size > size * 1032 + 64) return false;
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

}  // namespace tally::detail
