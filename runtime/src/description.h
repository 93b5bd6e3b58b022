// The description format of tally/detail/site.h: encoding and decoding a
// unit's description, and deflating and inflating it.  The one codec of the
// format, compiled into the plugin (which writes descriptions) and into
// libtally (which reads them, and writes those of a session's segment).
// Internal; needs zlib.
#ifndef TALLY_RUNTIME_DESCRIPTION_H_
#define TALLY_RUNTIME_DESCRIPTION_H_

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t
#include <string>   // std::string
#include <vector>   // std::vector

namespace tally {
namespace detail {

// A description (tally/detail/site.h), decoded.
struct Description {
  struct Function {
    std::uint32_t line;
    std::uint64_t name_size;
    std::uint64_t file;  // index into files
    std::string signature;
    bool calls = false;  // counts calls at call sites (Entry::Kind::calls)
    // One call site of a counted function (callers): signature and
    // name_size are the callee's, line and file the call's, and calls
    // tells how the callee is counted.
    bool site = false;
    std::uint32_t column = 0;
    std::uint64_t caller = 0;  // index into functions of the calling one
    std::uint64_t callee_file = 0;
    std::uint32_t callee_line = 0;
  };
  std::vector<std::string> files;
  std::vector<Function> functions;
};

// The bytes of `d`: its files, then its functions.  A unit's own file is
// not among them (it is index 0 when read, see Describer).
std::string encode_description(const Description& d);

// Appends the file table and the functions of the description `bytes` to
// `into`.  False when the bytes end early or are malformed: `into` then
// holds what was read before.
bool decode_description(const std::string& bytes, Description& into);

// `bytes` deflated with zlib, or an empty string when that is no smaller.
std::string deflate_bytes(const std::string& bytes);
// The `raw_size` bytes that deflate_bytes made `size` bytes of (or `size`
// bytes stored as they were, when raw_size == size); false when they do not
// inflate to exactly that.
bool inflate_bytes(const char* data, std::size_t size, std::size_t raw_size, std::string& raw);

}  // namespace detail
}  // namespace tally

#endif  // TALLY_RUNTIME_DESCRIPTION_H_
