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
