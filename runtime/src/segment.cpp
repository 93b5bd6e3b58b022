// Allocation, descriptions and blocks in a session's segment (segment.h).
#include "segment.h"

#include <signal.h>  // kill

#include <cerrno>    // errno
#include <cstring>   // std::memcpy, std::memcmp
#include <fstream>   // std::ifstream
#include <sstream>   // std::istringstream
#include <unordered_map>  // std::unordered_map

#include "entries.h"
#include "units.h"

namespace tally::detail::segment {
namespace {

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// Pushes the object at `offset`, whose first member is its `next`, on the
// list whose head is `*head`.
void push(const Mapping& m, std::uint64_t* head, std::uint64_t offset) {
  auto* next = m.at<std::uint64_t>(offset);
  std::uint64_t old = __atomic_load_n(head, __ATOMIC_RELAXED);
  do {
    *next = old;
  } while (!__atomic_compare_exchange_n(head, &old, offset, true, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED));
}

}  // namespace

std::string check_name(const std::string& name) {
  if (name.empty()) return "a session name cannot be empty";
  if (name.size() > 200) return "a session name has at most 200 characters";
  for (char c : name)
    if (!(('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') ||
          c == '.' || c == '_' || c == '-'))
      return "a session name has only letters, digits, '.', '_' and '-': \"" + name + "\"";
  return {};
}

std::string object_name(const std::string& session) { return "tally." + session; }

std::string size_text(std::uint64_t bytes) {
  if (bytes && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "G";
  if (bytes && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

std::uint64_t process_start(std::uint64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return 0;
  // Field 2, the command, is in parentheses and may hold anything.
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int n = 3; n <= 22 && fields >> field; ++n)
    if (n == 22) return std::strtoull(field.c_str(), nullptr, 10);
  return 0;
}

bool process_alive(std::uint64_t pid, std::uint64_t start) {
  if (pid == 0 || pid > static_cast<std::uint64_t>(INT32_MAX)) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  return start == 0 || process_start(pid) == start;
}

std::uint64_t Mapping::allocate(std::uint64_t bytes) const {
  bytes = (bytes + 7) & ~std::uint64_t{7};
  std::uint64_t* used = &header()->used;
  std::uint64_t offset = __atomic_load_n(used, __ATOMIC_RELAXED);
  do {
    // A damaged header (used inside the header, or misaligned) is full.
    if (offset < sizeof(Header) || offset % 8 != 0 || offset > size_ || bytes > size_ - offset)
      return 0;
  } while (!__atomic_compare_exchange_n(used, &offset, offset + bytes, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED));
  return offset;  // zero already: nothing in a segment is ever reused
}

const char* Mapping::description_bytes(std::uint64_t offset, std::string& raw) const {
  const auto* d = node<Description>(offset);
  if (!d) return "a module's description lies outside the segment";
  // inflate_bytes refuses what zlib cannot have made.
  if (!valid_range(offset + sizeof(Description), d->size) || d->raw_size > (1u << 30))
    return "a module's description has impossible sizes";
  if (!inflate_bytes(reinterpret_cast<const char*>(d + 1), d->size, d->raw_size, raw))
    return "a module's description does not inflate";
  return nullptr;
}

std::uint64_t Mapping::description(const std::string& raw, std::uint32_t functions) const {
  std::uint64_t hash = fnv1a(raw);
  std::uint64_t found = 0;
  walk<Description>(__atomic_load_n(&header()->descriptions, __ATOMIC_ACQUIRE),
                    [&](std::uint64_t offset, const Description& known) {
                      std::string stored_raw;
                      if (known.hash == hash && known.raw_size == raw.size() &&
                          !description_bytes(offset, stored_raw) && stored_raw == raw)
                        found = offset;
                      return found == 0;
                    });
  if (found) return found;
  // Two processes may add the same description at once; both copies work.
  std::string deflated = deflate_bytes(raw);
  const std::string& stored = deflated.empty() ? raw : deflated;
  std::uint64_t offset = allocate(sizeof(Description) + stored.size());
  if (!offset) return 0;
  auto* d = at<Description>(offset);
  d->hash = hash;
  d->functions = functions;
  d->raw_size = static_cast<std::uint32_t>(raw.size());
  d->size = static_cast<std::uint32_t>(stored.size());
  std::memcpy(d + 1, stored.data(), stored.size());
  push(*this, &header()->descriptions, offset);
  return offset;
}

Block* Mapping::block(std::uint64_t description, std::uint64_t functions,
                      std::uint64_t pid) const {
  std::uint64_t offset = allocate(sizeof(Block) + functions * sizeof(std::uint64_t));
  if (!offset) return nullptr;
  auto* b = at<Block>(offset);
  b->description = description;
  b->pid = pid;
  b->functions = functions;
  push(*this, &header()->blocks, offset);
  return b;
}

std::uint64_t Mapping::block_count() const {
  std::uint64_t n = 0;
  walk<Block>(__atomic_load_n(&header()->blocks, __ATOMIC_ACQUIRE),
              [&](std::uint64_t, const Block&) { return ++n, true; });
  return n;
}

Mapping::Counts Mapping::read(std::string& problem) const {
  std::unordered_map<std::uint64_t, SiteList> decoded;  // by Description
  std::vector<Entry> all;
  std::vector<CallSite> calls;
  auto fail = [&](const char* what) {
    if (problem.empty()) problem = what;
    return false;
  };
  bool sound = walk<Block>(
      __atomic_load_n(&header()->blocks, __ATOMIC_ACQUIRE),
      [&](std::uint64_t offset, const Block& block) {
        if (!valid_range(offset + sizeof(Block), block.functions * sizeof(std::uint64_t)))
          return fail("a block's counts lie outside the segment");
        auto [it, inserted] = decoded.try_emplace(block.description);
        if (inserted) {
          std::string raw;
          if (const char* bad = description_bytes(block.description, raw)) return fail(bad);
          if (!decode_sites(raw, node<Description>(block.description)->functions, it->second))
            return fail("a module's description is malformed");
        }
        const SiteList& sites = it->second;
        if (sites.entries.size() != block.functions)
          return fail("a block does not match its module's description");
        const std::uint64_t* counts = counts_of(const_cast<Block*>(&block));
        for (std::size_t i = 0; i < sites.entries.size(); ++i) {
          std::uint64_t count = __atomic_load_n(&counts[i], __ATOMIC_RELAXED);
          if (sites.entries[i].kind != Entry::Kind::call_site) {
            all.push_back(sites.entries[i]);
            all.back().count = count;
          } else if (count) {
            calls.push_back(sites.calls[i]);
            calls.back().count = count;
          }
        }
        return true;
      });
  if (!sound) fail("its list of blocks is broken");
  Profile merged({}, std::move(calls));
  return {one_per_function(std::move(all)), merged.call_sites()};
}

}  // namespace tally::detail::segment
