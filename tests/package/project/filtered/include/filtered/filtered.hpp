#pragma once

// Built with tally_instrument(filtered FUNCTIONS "^filtered::"
//   EXCLUDE "/third_party/" EXCLUDE_FUNCTIONS "::skip<int, long>$" "^filtered::hidden$")
namespace filtered {

template <class A, class B>
int skip() { return sizeof(A) + sizeof(B); }
inline int hidden() { return 2; }
inline int shown() { return 3; }
int compiled();       // calls skip<int, int>, skip<int, long> and hidden once each
int vendored_impl();  // defined under third_party/

}  // namespace filtered

namespace other {
inline int not_ours() { return 4; }
}  // namespace other
