// Fuzz target: a session's segment as another process could leave it
// (damaged, full, or written by a process that died half-way), read by a
// recorder (tally record, tally top) and joined by a process that adds its
// modules and counts, as libtally does.
//
// Input: the segment's bytes after its header's magic, version and size,
// which are set so that the segment is mapped (the checks of the header
// itself are fuzzed too, on the bytes as given).
#include "segment.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "segment_map.h"
#include "units.h"  // encode_entries

namespace segment = tally::detail::segment;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  // Segments are mapped, so 8-byte aligned, and at least a header long.
  std::size_t bytes = (std::max(size, sizeof(segment::Header)) + 7) & ~std::size_t{7};
  std::vector<std::uint64_t> memory(bytes / 8);
  auto* base = reinterpret_cast<char*>(memory.data());
  std::memcpy(base, data, size);
  auto* header = reinterpret_cast<segment::Header*>(base);
  (void)tally::detail::check_header(header, size);

  std::memcpy(header->magic, segment::kMagic, sizeof header->magic);
  header->version = segment::kVersion;
  header->size = bytes;
  if (!tally::detail::check_header(header, bytes).empty()) __builtin_trap();
  segment::Mapping mapping(base, bytes);

  // A recorder reads it.
  std::string problem;
  (void)mapping.functions(problem);
  (void)mapping.block_count();

  // A process joins: its module's description and a block for its counts.
  tally::Entry e;
  e.signature = e.name = "fuzz::joined()";
  e.file = "/fuzz/joined.cpp";
  e.line = 1;
  std::string raw = tally::detail::encode_entries({e});
  if (std::uint64_t description = mapping.description(raw, 1)) {
    std::string back;
    if (mapping.description_bytes(description, back) || back != raw) __builtin_trap();
    if (segment::Block* block = mapping.block(description, 1, 42))
      segment::raise_to(segment::counts_of(block), 7);
  }
  // And is read again: a sound segment stays sound.
  std::string after_problem;
  (void)mapping.functions(after_problem);
  if (problem.empty() && !after_problem.empty()) __builtin_trap();
  return 0;
}
