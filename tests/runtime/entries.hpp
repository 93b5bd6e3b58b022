// Hand-made profile entries for the runtime tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "tally/tally.hpp"

// An entry whose name is the first name_size bytes of its signature.
inline tally::Entry entry(std::string signature, std::size_t name_size,
                          std::uint64_t count = 1, std::string file = "/src/a.cpp",
                          std::uint32_t line = 1) {
  tally::Entry e;
  e.name = signature.substr(0, name_size);
  e.signature = std::move(signature);
  e.file = std::move(file);
  e.line = line;
  e.count = count;
  return e;
}

// The same, of calls counted at call sites (Entry::Kind::calls), located at
// the function's declaration.
inline tally::Entry calls_into(std::string signature, std::size_t name_size,
                               std::uint64_t count = 1,
                               std::string file = "/usr/include/stdio.h",
                               std::uint32_t line = 258) {
  tally::Entry e = entry(std::move(signature), name_size, count, std::move(file), line);
  e.kind = tally::Entry::Kind::calls;
  return e;
}
