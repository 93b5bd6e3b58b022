/* C code is instrumented like C++. */
static unsigned mix(unsigned h, unsigned char c) { return h * 31u + c; }

unsigned checksum(const char* text) {
  unsigned h = 7;
  while (*text) h = mix(h, (unsigned char)*text++);
  return h;
}
