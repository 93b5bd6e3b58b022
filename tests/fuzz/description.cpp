// Fuzz target: a unit's description, as a module could ship it (a damaged
// or hostile one among them), read the way libtally reads it to name a
// function (tally::detail::Describer).
//
// Input: 4 bytes of the unit's raw_size (little-endian), 4 bytes of the
// site's index, a NUL-terminated file, then the stored description.  When
// raw_size equals the stored size, the description is read as stored;
// otherwise it is inflated first.
#include "description.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "units.h"

namespace {

std::uint32_t take32(const std::uint8_t*& data, std::size_t& size) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4 && size > 0; ++i, ++data, --size) v |= std::uint32_t{*data} << (8 * i);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::uint32_t raw_size = take32(data, size);
  std::uint32_t index = take32(data, size);
  const void* nul = std::memchr(data, '\0', size);
  std::size_t file_size = nul ? static_cast<const std::uint8_t*>(nul) - data : size;
  std::string file(reinterpret_cast<const char*>(data), file_size);
  data += file_size, size -= file_size;
  if (size > 0) ++data, --size;  // the NUL

  // The unit and its site laid out as the plugin lays them out: the unit,
  // its file, its description, each reached by an offset from its field.
  struct Image {
    tally_site site;
    tally_unit unit;
  };
  std::vector<char> memory(sizeof(Image) + file.size() + 1 + size);
  auto* image = reinterpret_cast<Image*>(memory.data());
  char* file_at = memory.data() + sizeof(Image);
  char* description_at = file_at + file.size() + 1;
  std::memcpy(file_at, file.c_str(), file.size() + 1);
  if (size) std::memcpy(description_at, data, size);
  auto offset = [](const void* field, const void* to) {
    return static_cast<std::int32_t>(static_cast<const char*>(to) -
                                     static_cast<const char*>(field));
  };
  image->unit.format = TALLY_SITE_FORMAT;
  image->unit.size = static_cast<std::uint32_t>(size);
  image->unit.raw_size = raw_size;
  image->unit.description = offset(&image->unit.description, description_at);
  image->unit.file = offset(&image->unit.file, file_at);
  image->site.counter = 0;
  image->site.unit = offset(&image->site.unit, &image->unit);
  image->site.index = index;

  tally::detail::Describer describer;
  tally::Entry entry = describer.entry(image->site);
  // The name is the start of the signature, and both are read again alike.
  if (entry.signature.compare(0, entry.name.size(), entry.name) != 0) __builtin_trap();
  if (describer.entry(image->site).signature != entry.signature) __builtin_trap();

  // The stored bytes as a segment's description (the sites of a session's
  // module), of as many sites as the first byte says.
  tally::detail::SiteList sites;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  tally::detail::decode_sites(bytes, size ? data[0] % 16 : 0, sites);
  if (sites.entries.size() != sites.calls.size()) __builtin_trap();
  return 0;
}
