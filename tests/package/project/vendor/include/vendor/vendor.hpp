// A library of the project that is not instrumented: a static part and a
// shared one.  Instrumented code that calls it counts the calls at the call
// sites (tally_instrument(... CALLS_INTO ...)), with this header left out of
// its filters.
#pragma once

namespace vendor {
int parse(const char* text);  // vendor_static
int sum(int a, int b);        // vendor_shared
}  // namespace vendor
