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
#include "units.h"  // encode_sites

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
  (void)mapping.read(problem);
  (void)mapping.block_count();

  // A process joins: its module's description and a block for its counts,
  // one function and one call site in it of a function of another module.
  tally::detail::SiteList sites;
  tally::Entry e;
  e.signature = e.name = "fuzz::joined()";
  e.file = "/fuzz/joined.cpp";
  e.line = 1;
  sites.entries.push_back(e);
  sites.calls.emplace_back();
  tally::CallSite call;
  call.callee = call.callee_name = e.signature;
  call.caller = "fuzz::caller(int)";
  call.caller_name = "fuzz::caller";
  call.file = "/fuzz/caller.cpp";
  call.line = 3;
  call.column = 5;
  e.kind = tally::Entry::Kind::call_site;
  e.file = call.file;
  e.line = call.line;
  sites.entries.push_back(e);
  sites.calls.push_back(call);
  std::string raw = tally::detail::encode_sites(sites);
  bool counted = false;
  if (std::uint64_t description = mapping.description(raw, 2)) {
    std::string back;
    if (mapping.description_bytes(description, back) || back != raw) __builtin_trap();
    if (segment::Block* block = mapping.block(description, 2, 42)) {
      segment::raise_to(segment::counts_of(block), 7);
      segment::raise_to(segment::counts_of(block) + 1, 7);
      counted = true;
    }
  }
  // And is read again: a sound segment stays sound, and has the call.
  std::string after_problem;
  segment::Mapping::Counts after = mapping.read(after_problem);
  if (problem.empty() && !after_problem.empty()) __builtin_trap();
  if (problem.empty() && counted) {
    bool found = false;
    for (const tally::CallSite& s : after.call_sites)
      found = found || (s.caller == call.caller && s.callee == call.callee &&
                        s.column == call.column && s.count >= 7);
    if (!found) __builtin_trap();
  }
  return 0;
}
