// The module registry, driven with hand-made site records the way the
// plugin's module constructor and destructor drive it.  Each test sets up the
// modules it needs; the first one must run before any is registered.
#include <gtest/gtest.h>

#include <algorithm>
#include <zlib.h>

#include <cstring>
#include <string>

#include "tally/detail/site.h"
#include "tally/tally.hpp"

namespace {

std::int32_t offset(const void* from, const void* to) {
  return static_cast<std::int32_t>(static_cast<const char*>(to) -
                                   static_cast<const char*>(from));
}

void varint(std::string& out, std::uint64_t value) {
  do {
    std::uint8_t byte = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<char>(byte | (value ? 0x80 : 0)));
  } while (value);
}

// A module with two functions, laid out as the plugin lays them out: one
// unit describes both, stored as is or deflated.  Kept in static storage,
// like real records, so that offsets fit in 32 bits.
struct FakeModule {
  std::uint64_t counters[2];
  tally_site sites[2];
  tally_unit unit;
  char description[256];  // here, not on the heap, which may be far away

  void init(const char* first, const char* second, const char* file, bool deflate = false) {
    std::string raw;
    varint(raw, 0);  // no files but the unit's own
    const char* signatures[] = {first, second};
    for (int i = 0; i < 2; ++i) {
      varint(raw, 10 + i);
      varint(raw, (std::strchr(signatures[i], '(') - signatures[i]) * 2);  // entries
      varint(raw, 0);
      raw.append(signatures[i], std::strlen(signatures[i]) + 1);
    }
    std::string stored = raw;
    if (deflate) {
      stored.resize(compressBound(raw.size()));
      uLongf size = stored.size();
      compress2(reinterpret_cast<Bytef*>(&stored[0]), &size,
                reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 9);
      stored.resize(size);
    }
    ASSERT_LE(stored.size(), sizeof description);
    std::memcpy(description, stored.data(), stored.size());
    unit.format = TALLY_SITE_FORMAT;
    unit.size = static_cast<std::uint32_t>(stored.size());
    unit.raw_size = static_cast<std::uint32_t>(raw.size());
    unit.description = offset(&unit.description, description);
    unit.file = offset(&unit.file, file);
    for (int i = 0; i < 2; ++i) {
      counters[i] = 0;
      tally_site& s = sites[i];
      s.counter = offset(&s.counter, &counters[i]);
      s.unit = offset(&s.unit, &unit);
      s.index = static_cast<std::uint32_t>(i);
    }
  }
  void add() { __tally_register_module(sites, sites + 2); }
  void remove() { __tally_unregister_module(sites); }
};

FakeModule first, second, late, wrong_format;

TEST(Registry, NothingRegisteredMeansEmptyProfiles) {
  EXPECT_FALSE(tally::instrumented());
  tally::Profile p = tally::profile([] {});
  EXPECT_TRUE(p.empty());
  EXPECT_EQ(p.count("anything"), 0u);
}

TEST(Registry, CountsCallsMadeWhileProfiling) {
  first.init("ns::a(int)", "ns::b()", "/src/first.cpp");
  first.add();
  EXPECT_TRUE(tally::instrumented());
  first.counters[0] = 100;  // calls before profile() are not reported
  tally::Profile p = tally::profile([] {
    first.counters[0] += 3;
    first.counters[1] += 1;
  });
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.begin()->signature, "ns::a(int)");
  EXPECT_EQ(p.begin()->name, "ns::a");
  EXPECT_EQ(p.begin()->file, "/src/first.cpp");
  EXPECT_EQ(p.begin()->line, 10u);
  EXPECT_EQ(p.begin()->count, 3u);
  EXPECT_EQ(p.count("ns::b"), 1u);
}

TEST(Registry, RegistrationIsIdempotent) {
  first.init("ns::a(int)", "ns::b()", "/src/first.cpp");
  first.add();
  first.add();
  tally::Profile p = tally::profile([] { first.counters[1] += 2; });
  EXPECT_EQ(p.count("ns::b"), 2u);
}

TEST(Registry, SumsOneFunctionAcrossModules) {
  first.init("ns::a(int)", "ns::b()", "/src/first.cpp");
  first.add();
  second.init("ns::a(int)", "ns::c()", "/src/first.cpp", /*deflate=*/true);
  second.add();
  tally::Profile p = tally::profile([] {
    first.counters[0] += 1;
    second.counters[0] += 2;
    second.counters[1] += 5;
  });
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p.count("ns::a(int)"), 3u);
  EXPECT_EQ(p.count("ns::c"), 5u);
}

TEST(Registry, ModulesLoadedDuringAProfileCountFromZero) {
  late.init("late::f()", "late::g()", "/src/late.cpp");
  late.counters[0] = 7;  // its static initialisers ran before registration
  tally::Profile p = tally::profile([] { late.add(); });
  EXPECT_EQ(p.count("late::f"), 7u);
  late.remove();
}

TEST(Registry, UnloadedModulesAreNotRead) {
  first.init("ns::a(int)", "ns::b()", "/src/first.cpp");
  first.add();
  second.init("ns::a(int)", "ns::c()", "/src/first.cpp", /*deflate=*/true);
  second.add();
  second.remove();
  tally::Profile p = tally::profile([] {
    second.counters[1] += 1;
    first.counters[1] += 1;
  });
  EXPECT_EQ(p.count("ns::c"), 0u);
  EXPECT_EQ(p.count("ns::b"), 1u);
}

TEST(Registry, AModuleLoadedAgainStartsAfresh) {
  second.init("ns::a(int)", "ns::c()", "/src/first.cpp", /*deflate=*/true);
  second.add();
  second.counters[1] = 40;
  second.remove();
  tally::Profile p = tally::profile([] {
    // loaded again at the same address, with fresh counters
    second.counters[0] = second.counters[1] = 0;
    second.add();
    second.counters[1] += 1;
  });
  EXPECT_EQ(p.count("ns::c"), 1u);
  EXPECT_EQ(p.count("ns::a"), 0u);
}

TEST(Registry, ListsRegisteredFunctionsAndNearestNames) {
  first.init("ns::a(int)", "ns::b()", "/src/first.cpp");
  first.add();
  second.init("ns::a(int)", "ns::counter()", "/src/first.cpp", /*deflate=*/true);
  second.add();
  std::vector<std::string> signatures;
  for (const tally::Entry& e : tally::registered_functions()) {
    signatures.push_back(e.signature);
    EXPECT_EQ(e.count, 0u);
  }
  // ns::a(int), in both modules, is one function.
  EXPECT_EQ(std::count(signatures.begin(), signatures.end(), "ns::a(int)"), 1);
  EXPECT_NE(std::find(signatures.begin(), signatures.end(), "ns::b()"), signatures.end());
  EXPECT_NE(std::find(signatures.begin(), signatures.end(), "ns::counter()"), signatures.end());
  std::vector<std::string> nearest = tally::nearest_names("ns::countr", 2);
  ASSERT_EQ(nearest.size(), 2u);
  EXPECT_EQ(nearest[0], "ns::counter");
  EXPECT_EQ(tally::nearest_names(" ns :: b ", 1), std::vector<std::string>{"ns::b"});
  second.remove();
}

TEST(Registry, IgnoresRecordsOfAnotherFormat) {
  wrong_format.init("bad::f()", "bad::g()", "/src/bad.cpp");
  wrong_format.unit.format = TALLY_SITE_FORMAT + 1;
  testing::internal::CaptureStderr();
  wrong_format.add();
  std::string message = testing::internal::GetCapturedStderr();
  EXPECT_NE(message.find("ignoring a module compiled by a different version of the tally plugin"),
            std::string::npos)
      << message;
  tally::Profile p = tally::profile([] { wrong_format.counters[0] += 1; });
  EXPECT_EQ(p.count("bad::f"), 0u);
}

}  // namespace
