#pragma once

namespace reader {
// Parses text twice with the vendor library.
int read_twice(const char* text);
}  // namespace reader
