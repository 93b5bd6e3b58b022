#include <cstdio>

#include "quiet/quiet.hpp"
#include "vendor/vendor.hpp"

namespace chosen {
int open_and_parse(const char* text) {
  if (std::FILE* f = std::fopen("/dev/null", "r")) std::fclose(f);
  return vendor::parse(text);
}
}  // namespace chosen
