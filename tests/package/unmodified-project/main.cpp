#include <cstdio>

#include "shapes.hpp"

extern "C" unsigned checksum(const char* text);

int main() {
  shapes::Square squares[] = {{1}, {2}, {3}};
  int area = shapes::total(squares, 3);
  unsigned sum = checksum("tally");
  std::printf("area %d, twice %d, checksum %u\n", area, shapes::twice(area), sum);
  return area == 14 ? 0 : 1;
}
