// Mapping a session's segment and checking its header: what a joining
// process and the tools (libtally-reports) both do.  Internal; header-only,
// so that each library has its own copy.
#ifndef TALLY_RUNTIME_SEGMENT_MAP_H_
#define TALLY_RUNTIME_SEGMENT_MAP_H_

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <cstring>  // std::memcmp
#include <string>   // std::string

#include "segment.h"

namespace tally::detail {

namespace bip = boost::interprocess;

// What is wrong with the header of a segment, or an empty string.
inline std::string check_header(const segment::Header* h, std::size_t mapped) {
  if (mapped < sizeof(segment::Header) ||
      std::memcmp(h->magic, segment::kMagic, sizeof h->magic) != 0)
    return "it is not a tally session segment";
  if (h->version != segment::kVersion)
    return "it was made by another version of tally (segment version " +
           std::to_string(h->version) + ", this tally uses " +
           std::to_string(segment::kVersion) + ")";
  if (h->size != mapped) return "its header is damaged (size)";
  return {};
}

// Opens and maps the segment of session `name`; what is wrong with it, or
// an empty string.  Throws bip::interprocess_exception when it cannot be
// opened (not_found_error: there is none; security_error: another user's).
inline std::string map_segment(const std::string& name, bip::mode_t mode,
                               bip::shared_memory_object& shm, bip::mapped_region& region) {
  shm = bip::shared_memory_object(bip::open_only, segment::object_name(name).c_str(), mode);
  bip::offset_t size = 0;
  if (!shm.get_size(size) || static_cast<std::uint64_t>(size) < sizeof(segment::Header))
    return "it is not a tally session segment";
  region = bip::mapped_region(shm, mode);
  return check_header(static_cast<const segment::Header*>(region.get_address()),
                      region.get_size());
}

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_SEGMENT_MAP_H_
