#pragma once

// Both open /dev/null with the C library and parse text with the vendor
// library; quiet is instrumented with NO_CALLS_INTO, chosen with
// NO_CALLS_INTO CALLS_INTO "^vendor::".
namespace quiet {
int open_and_parse(const char* text);
}  // namespace quiet

namespace chosen {
int open_and_parse(const char* text);
}  // namespace chosen
