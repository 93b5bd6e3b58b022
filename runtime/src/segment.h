// The shared-memory segment of a session: its layout, and the operations
// on it that every process shares.  Internal to libtally.
//
// A segment starts with a Header.  Everything else is allocated by bumping
// Header::used and never freed, so no process ever takes a lock in it and a
// process that dies anywhere leaves it consistent:
//
//   Description  the functions of one module (their signatures, names,
//                files and lines), stored once per distinct module however
//                many processes load it;
//   Block        one module in one process: which Description, and one
//                count per function.  Only that process writes the counts.
//
// Both kinds form lists, pushed at their heads with compare-and-swap once
// filled in, so that a reader walking the lists sees only complete ones.
#ifndef TALLY_RUNTIME_SEGMENT_H_
#define TALLY_RUNTIME_SEGMENT_H_

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "tally/tally.hpp"

namespace tally::detail::segment {

inline constexpr char kMagic[8] = {'t', 'a', 'l', 'l', 'y', 's', 'e', 's'};
inline constexpr std::uint32_t kVersion = 4;  // 4: call sites with their callers

enum State : std::uint32_t {
  kRecording = 1,  // processes add their counts
  kClosed = 2,     // the recorder has read it: processes add nothing more
};

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t state;             // State
  std::uint64_t size;              // bytes of the segment
  std::uint64_t used;              // bytes allocated, the next free offset
  std::uint64_t owner_pid;         // the process that created it
  std::uint64_t owner_start;       // its start time (/proc/<pid>/stat), against pid reuse
  std::uint64_t created;           // seconds since the epoch
  std::uint64_t flush_ms;          // how often processes copy their counts in
  std::uint64_t descriptions;      // offset of the first Description; 0: none
  std::uint64_t blocks;            // offset of the first Block; 0: none
  std::uint64_t processes;         // processes that joined
  std::uint64_t refused;           // modules left out because the segment was full
};

struct Description {
  std::uint64_t next;
  std::uint64_t hash;        // of the raw bytes
  std::uint32_t functions;   // sites, each with a count in a Block
  std::uint32_t raw_size;    // bytes once inflated
  std::uint32_t size;        // bytes stored; equal to raw_size: not deflated
  std::uint32_t reserved;
  // `size` bytes follow: varint F, F NUL-terminated files, then per function
  // varint line, varint name_size * 2 + calls, varint file index * 2 +
  // site, signature NUL, and a call site's fields (as in
  // tally/detail/site.h).  The first `functions` are the module's sites;
  // the callers of its call sites that are none of them follow
  // (encode_sites, units.h).
};

struct Block {
  std::uint64_t next;
  std::uint64_t description;  // offset of its Description
  std::uint64_t pid;
  std::uint64_t functions;
  // `functions` counts follow, as std::uint64_t.
};

inline std::uint64_t* counts_of(Block* block) {
  return reinterpret_cast<std::uint64_t*>(block + 1);
}

// Session names are [A-Za-z0-9._-], 1 to 200 characters.  Returns what is
// wrong with `name`, or an empty string.
std::string check_name(const std::string& name);

// The POSIX shared-memory object of a session: "tally.<name>", which Linux
// shows as /dev/shm/tally.<name>.
std::string object_name(const std::string& session);

// "<owner pid>.<owner start>": which tally record made a segment.
inline std::string session_id(const Header& h) {
  return std::to_string(h.owner_pid) + "." + std::to_string(h.owner_start);
}

// Whether the process `pid`, which started at `start` (0: unknown), runs.
bool process_alive(std::uint64_t pid, std::uint64_t start);
// `bytes` in the largest unit that is exact: "64M", as `tally record
// --size` reads it.
std::string size_text(std::uint64_t bytes);
// The start time of a process, in clock ticks since boot; 0 if unknown.
std::uint64_t process_start(std::uint64_t pid);

// A mapped segment.  Thread-safe and lock-free.
class Mapping {
 public:
  Mapping() = default;
  Mapping(void* base, std::size_t size) : base_(static_cast<char*>(base)), size_(size) {}

  Header* header() const { return reinterpret_cast<Header*>(base_); }
  template <class T>
  T* at(std::uint64_t offset) const {
    return reinterpret_cast<T*>(base_ + offset);
  }
  bool valid_range(std::uint64_t offset, std::uint64_t bytes) const {
    return offset >= sizeof(Header) && offset <= size_ && bytes <= size_ - offset;
  }
  // The T at `offset`, or null when it is misaligned or does not fit: a
  // damaged segment is read only as far as it is sound.
  template <class T>
  T* node(std::uint64_t offset) const {
    return offset % 8 == 0 && valid_range(offset, sizeof(T)) ? at<T>(offset) : nullptr;
  }
  // Calls f(offset, node) for each node of the list that starts at `head`
  // while f returns true.  False when the list leaves the segment or is
  // longer than the segment can hold (a cycle).
  template <class T, class F>
  bool walk(std::uint64_t head, F f) const {
    std::uint64_t steps = size_ / sizeof(T);
    for (std::uint64_t offset = head; offset; --steps) {
      const T* n = node<T>(offset);
      if (!n || steps == 0) return false;
      if (!f(offset, *n)) return true;
      offset = __atomic_load_n(&n->next, __ATOMIC_ACQUIRE);
    }
    return true;
  }

  // Offset of `bytes` new zeroed bytes, 8-byte aligned; 0 when full, or
  // when the header is damaged.
  std::uint64_t allocate(std::uint64_t bytes) const;

  // The Description with these bytes, added if no process added it yet;
  // 0 when full.  `raw` is the undeflated form.
  std::uint64_t description(const std::string& raw, std::uint32_t functions) const;
  // The inflated bytes of the Description at `offset` into `raw`; what is
  // wrong with it, or null.
  const char* description_bytes(std::uint64_t offset, std::string& raw) const;
  // A new Block of `functions` counts, all 0, in the list; null when full.
  Block* block(std::uint64_t description, std::uint64_t functions, std::uint64_t pid) const;

  struct Counts {
    // Every function of every Block, with its counts summed over
    // processes; sorted by signature, file and line.
    std::vector<Entry> functions;
    // The call sites (callers) that counted a call, one per call, most
    // calls first.
    std::vector<CallSite> call_sites;
  };
  // What the Blocks counted.  A damaged segment is read as far as it is
  // sound, and `problem` says what is wrong.
  Counts read(std::string& problem) const;
  // How many Blocks there are.
  std::uint64_t block_count() const;

 private:
  char* base_ = nullptr;
  std::size_t size_ = 0;
};

// Raises *counter to `value` if that is more: flushes may race (a signal
// handler and the flushing thread), and counts only grow.
inline void raise_to(std::uint64_t* counter, std::uint64_t value) {
  std::uint64_t old = __atomic_load_n(counter, __ATOMIC_RELAXED);
  while (old < value &&
         !__atomic_compare_exchange_n(counter, &old, value, true, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
}

}  // namespace tally::detail::segment

#endif  // TALLY_RUNTIME_SEGMENT_H_
