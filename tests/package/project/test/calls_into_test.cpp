// Instrumented with tally_instrument(), whose calls into are on by
// default: the calls this file's code makes into libraries that are not
// instrumented (the project's own vendor libraries, the C library) are
// counted at the call sites, in loops too, exactly; and the reader library,
// instrumented, with tally_calls_into() for its calls into the vendor
// library, counts those.  quiet (NO_CALLS_INTO) counts none, chosen
// (NO_CALLS_INTO CALLS_INTO "^vendor::") only those into vendor.
#include <gtest/gtest.h>
#include <tally/gtest.hpp>

#include <cstdio>

#include "quiet/quiet.hpp"
#include "reader/reader.hpp"
#include "vendor/vendor.hpp"

namespace {

volatile int sink;

TEST(CallsInto, CountsCallsIntoLibrariesThatAreNotInstrumented) {
  TALLY_REQUIRE_INSTRUMENTATION();
  tally::Profile p = tally::profile([] {
    int total = 0;
    for (int i = 0; i < 5; ++i) total += vendor::parse("12");
    total += vendor::sum(total, 3);
    if (std::FILE* f = std::fopen("/dev/null", "r")) std::fclose(f);
    sink = total;
  });
  EXPECT_EQ(p.count("vendor::parse(const char *)"), 5u) << p;
  EXPECT_EQ(p.count("vendor::sum"), 1u);
  EXPECT_EQ(p.count("fopen"), 1u);
  EXPECT_EQ(p.count("fclose"), 1u);
  EXPECT_THAT(p, tally::Calls("vendor::parse", testing::Le(5)));
  for (const tally::Entry& e : p)
    if (e.name == "vendor::parse") EXPECT_EQ(e.kind, tally::Entry::Kind::calls);
}

TEST(CallsInto, AnInstrumentedLibraryCountsItsOwnCallsInto) {
  TALLY_REQUIRE_INSTRUMENTATION();
  tally::Profile p = tally::profile([] { sink = reader::read_twice("7"); });
  EXPECT_EQ(p.count("reader::read_twice"), 1u) << p;
  EXPECT_EQ(p.count("vendor::parse"), 2u);
  EXPECT_EQ(p.size(), 3u);  // and the lambda
}

TEST(CallsInto, NoCallsIntoCountsEntriesOnly) {
  TALLY_REQUIRE_INSTRUMENTATION();
  tally::Profile p = tally::profile([] { sink = quiet::open_and_parse("7"); });
  EXPECT_EQ(p.count("quiet::open_and_parse"), 1u) << p;
  EXPECT_EQ(p.size(), 2u);  // and the lambda: no fopen, fclose or vendor::parse
}

TEST(CallsInto, NoCallsIntoThenCallsIntoCountsOnlyTheCalleesNamed) {
  TALLY_REQUIRE_INSTRUMENTATION();
  tally::Profile p = tally::profile([] { sink = chosen::open_and_parse("7"); });
  EXPECT_EQ(p.count("chosen::open_and_parse"), 1u) << p;
  EXPECT_EQ(p.count("vendor::parse"), 1u);
  EXPECT_EQ(p.count("fopen"), 0u);
  EXPECT_EQ(p.size(), 3u);  // and the lambda
}

}  // namespace
