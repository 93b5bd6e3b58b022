// The one codec of the description format (runtime/src/description.h),
// which the plugin writes with and libtally reads with: what is encoded
// (and deflated) decodes to the same description, and bad bytes are
// refused, not read past.
#include <gtest/gtest.h>

#include <string>

#include "description.h"

namespace {

using tally::detail::Description;

Description sample() {
  Description d;
  d.files = {"/src/other.hpp", "/src/third.hpp"};
  d.functions = {
      {7, 10, 0, "work::leaf(int)"},
      {300, 12, 1, "work::branch(int)"},
      {1u << 20, 36, 2,
       "work::Box<std::vector<int>>::put(const std::vector<int> &, std::vector<int>)"},
      {0, 0, 0, ""},
      {258, 5, 1, "fopen(const char *, const char *)", /*calls=*/true},
  };
  // A call site of callers: work::leaf called at line 12, column 300, of
  // the second file, in work::branch (index 1).
  Description::Function site{12, 10, 2, "work::leaf(int)"};
  site.site = true;
  site.column = 300;
  site.caller = 1;
  site.callee_file = 0;
  site.callee_line = 7;
  d.functions.push_back(site);
  return d;
}

void expect_equal(const Description& a, const Description& b) {
  EXPECT_EQ(a.files, b.files);
  ASSERT_EQ(a.functions.size(), b.functions.size());
  for (std::size_t i = 0; i < a.functions.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.functions[i].line, b.functions[i].line);
    EXPECT_EQ(a.functions[i].name_size, b.functions[i].name_size);
    EXPECT_EQ(a.functions[i].file, b.functions[i].file);
    EXPECT_EQ(a.functions[i].signature, b.functions[i].signature);
    EXPECT_EQ(a.functions[i].calls, b.functions[i].calls);
    EXPECT_EQ(a.functions[i].site, b.functions[i].site);
    EXPECT_EQ(a.functions[i].column, b.functions[i].column);
    EXPECT_EQ(a.functions[i].caller, b.functions[i].caller);
    EXPECT_EQ(a.functions[i].callee_file, b.functions[i].callee_file);
    EXPECT_EQ(a.functions[i].callee_line, b.functions[i].callee_line);
  }
}

TEST(Description, RoundTrips) {
  std::string bytes = tally::detail::encode_description(sample());
  Description back;
  ASSERT_TRUE(tally::detail::decode_description(bytes, back));
  expect_equal(back, sample());
}

TEST(Description, RoundTripsDeflated) {
  Description d = sample();
  for (int i = 0; i < 50; ++i) d.functions.push_back(d.functions[2]);
  std::string raw = tally::detail::encode_description(d);
  std::string deflated = tally::detail::deflate_bytes(raw);
  ASSERT_FALSE(deflated.empty());
  EXPECT_LT(deflated.size(), raw.size());
  std::string inflated;
  ASSERT_TRUE(
      tally::detail::inflate_bytes(deflated.data(), deflated.size(), raw.size(), inflated));
  EXPECT_EQ(inflated, raw);
  Description back;
  ASSERT_TRUE(tally::detail::decode_description(inflated, back));
  expect_equal(back, d);
}

TEST(Description, StoresWhatDoesNotDeflateAsItIs) {
  EXPECT_EQ(tally::detail::deflate_bytes("ab"), "");
  std::string out;
  ASSERT_TRUE(tally::detail::inflate_bytes("ab", 2, 2, out));
  EXPECT_EQ(out, "ab");
}

TEST(Description, RefusesBytesThatEndEarly) {
  std::string bytes = tally::detail::encode_description(sample());
  for (std::size_t cut : {std::size_t{1}, std::size_t{5}, bytes.size() - 1}) {
    SCOPED_TRACE(cut);
    Description back;
    EXPECT_FALSE(tally::detail::decode_description(bytes.substr(0, cut), back));
  }
  std::string out;
  EXPECT_FALSE(tally::detail::inflate_bytes("\x78\x9c\x01", 3, 10, out));
  // A size that zlib cannot inflate 3 bytes to: refused, not allocated.
  EXPECT_FALSE(tally::detail::inflate_bytes("\x78\x9c\x01", 3, 0xffffffffu, out));
  EXPECT_LT(out.capacity(), 1u << 20);
  // A varint that never ends.
  Description back;
  EXPECT_FALSE(tally::detail::decode_description(std::string(20, '\xff'), back));
}

}  // namespace
