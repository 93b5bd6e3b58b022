// Exact counts for everything tally counts, seen from a project that uses it
// only through its CMake package.  This test target is not instrumented: its
// own functions and lambdas are not counted, the libraries' header code that
// it compiles is.
#include <gtest/gtest.h>
#include <tally/gtest.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "geometry/shapes.hpp"
#include "filtered/filtered.hpp"
#include "greet/greet.hpp"

namespace {

// Calls of every function whose name starts with `prefix`.
std::uint64_t calls_starting_with(const tally::Profile& p, const std::string& prefix) {
  std::uint64_t n = 0;
  for (const tally::Entry& e : p)
    if (e.name.rfind(prefix, 0) == 0) n += e.count;
  return n;
}

TEST(Consumer, SeesInstrumentedLibraries) {
  TALLY_REQUIRE_INSTRUMENTATION();
  EXPECT_TRUE(tally::instrumented());
}

TEST(Consumer, VirtualCallsConstructorsAndDestructors) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    geometry::Square square(2);
    geometry::Circle circle(1);
    std::vector<const geometry::Shape*> all{&square, &circle};
    volatile double area = geometry::total_area(all);
    const geometry::Shape& shape = circle;
    std::string names = square.name() + shape.name();
    (void)area;
  });
  EXPECT_EQ(p.count("geometry::Shape::Shape"), 2u) << p;
  EXPECT_EQ(p.count("geometry::Shape::~Shape"), 2u);
  EXPECT_EQ(p.count("geometry::Square::Square(double)"), 1u);
  EXPECT_EQ(p.count("geometry::Square::~Square"), 1u);
  EXPECT_EQ(p.count("geometry::Circle::Circle"), 1u);  // inline, in the header
  EXPECT_EQ(p.count("geometry::Square::area() const"), 1u);
  EXPECT_EQ(p.count("geometry::Circle::area"), 1u);
  EXPECT_EQ(p.count("geometry::Square::name"), 1u);
  EXPECT_EQ(p.count("geometry::Shape::name"), 1u);
  EXPECT_EQ(p.count("geometry::total_area"), 1u);
  EXPECT_EQ(p.total(), 12u);
}

TEST(Consumer, VirtualBasesCountOncePerObject) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    { geometry::Joined joined; }
    { geometry::Left left; }
    std::unique_ptr<geometry::Node> node = std::make_unique<geometry::Right>();
  });
  EXPECT_EQ(p.count("geometry::Node::Node"), 3u) << p;
  EXPECT_EQ(p.count("geometry::Left::Left"), 2u);
  EXPECT_EQ(p.count("geometry::Right::Right"), 2u);
  EXPECT_EQ(p.count("geometry::Joined::Joined"), 1u);
  EXPECT_EQ(p.count("geometry::Node::~Node"), 3u);
  EXPECT_EQ(p.count("geometry::Left::~Left"), 2u);
  EXPECT_EQ(p.count("geometry::Right::~Right"), 2u);  // deleted through Node*
  EXPECT_EQ(p.count("geometry::Joined::~Joined"), 1u);
}

TEST(Consumer, OperatorsConversionsAndStaticMembers) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    geometry::Vec a(1, 2), b(3, 4), defaulted;
    geometry::Vec c = a + b;
    volatile bool same = (a == c), set = static_cast<bool>(defaulted);
    geometry::Vec o = geometry::Vec::origin();
    (void)same, (void)set, (void)o;
  });
  EXPECT_EQ(p.count("geometry::Vec::Vec(double, double)"), 4u) << p;
  EXPECT_EQ(p.count("geometry::Vec::Vec()"), 0u);  // = default
  EXPECT_EQ(p.count("geometry::Vec::operator+"), 1u);
  EXPECT_EQ(p.count("geometry::Vec::operator=="), 1u);
  EXPECT_EQ(p.count("geometry::Vec::operator bool"), 1u);
  EXPECT_EQ(p.count("geometry::Vec::origin"), 1u);
}

TEST(Consumer, HeaderTemplatesInstantiatedHereAreCounted) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto helper = [](geometry::Box<long>& box) { return box.size(); };
  auto p = tally::profile([&] {
    geometry::Box<long> box;  // Box<long> exists only in this test
    box.put(1);
    box.put(2);
    volatile long v = box.take();
    volatile std::size_t n = helper(box);
    volatile int i = geometry::largest(std::vector<int>{3, 1, 2});
    volatile double d = geometry::largest(std::vector<double>{1.5});
    (void)v, (void)n, (void)i, (void)d;
  });
  EXPECT_EQ(p.count("geometry::Box<long>::put(const long &)"), 2u) << p;
  EXPECT_EQ(p.count("geometry::Box::take"), 1u);
  EXPECT_EQ(p.count("geometry::Box<long>::size() const"), 1u);
  EXPECT_EQ(p.count("geometry::largest"), 2u);
  EXPECT_EQ(p.count("geometry::largest<int>"), 1u);
  EXPECT_EQ(p.count("geometry::largest<double>(const std::vector<double> &)"), 1u);
  // Nothing of this test's own, nothing of the standard library.
  for (const tally::Entry& e : p)
    EXPECT_NE(e.file.find("/geometry/include/geometry/shapes.hpp"), std::string::npos)
        << e.signature << " at " << e.file;
  EXPECT_EQ(p.size(), 5u);
}

TEST(Consumer, RecursionExceptionsPointersAndStdFunction) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    volatile int f = geometry::factorial(5);
    EXPECT_THROW(geometry::checked(-1), std::invalid_argument);
    volatile int c = geometry::checked(1);
    int (*pointer)(int) = geometry::twice;
    volatile int t = pointer(1) + geometry::apply(geometry::twice, 3);
    std::vector<int> values{1, 2, 3};
    volatile int s = geometry::scale_all(values, 2);
    (void)f, (void)c, (void)t, (void)s;
  });
  EXPECT_EQ(p.count("geometry::factorial"), 5u) << p;
  EXPECT_EQ(p.count("geometry::checked"), 2u);
  EXPECT_EQ(p.count("geometry::twice"), 2u);
  EXPECT_EQ(p.count("geometry::apply"), 1u);
  EXPECT_EQ(p.count("geometry::scale_all"), 1u);  // not its lambda
  EXPECT_EQ(calls_starting_with(p, "geometry::scale_all::(lambda at shapes.cpp:"), 3u);
}

TEST(Consumer, ConstexprCountsAtRunTimeOnly) {
  TALLY_REQUIRE_INSTRUMENTATION();
  static_assert(geometry::cube(2) == 8);
  static_assert(geometry::square_now(3) == 9);
  auto p = tally::profile([] {
    volatile int n = 3;
    volatile int r = geometry::cube(n) + geometry::square_now(4);
    (void)r;
  });
  EXPECT_EQ(p.count("geometry::cube"), 1u) << p;
  EXPECT_EQ(p.count("geometry::square_now"), 0u);  // consteval
}

TEST(Consumer, ThreadsAndModulesSumExactly) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([] {
        geometry::spin(25000);  // header_inline compiled into the library
        volatile int sink = 0;
        for (int i = 0; i < 25000; ++i) sink = geometry::header_inline(sink);  // and here
      });
    for (std::thread& t : threads) t.join();
  });
  EXPECT_EQ(p.count("geometry::header_inline"), 400000u) << p;
  EXPECT_EQ(p.count("geometry::spin"), 8u);
  EXPECT_EQ(calls_starting_with(p, "geometry::header_inline"), 400000u);
  std::size_t entries = 0;
  for (const tally::Entry& e : p) entries += e.name == "geometry::header_inline";
  EXPECT_EQ(entries, 1u);
}

TEST(Consumer, SharedLibraries) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    std::string a = greet::hello_loudly("you");  // shout() in libgreet.so
    std::string b = greet::shout("hey");          // shout() compiled here
  });
  EXPECT_EQ(p.count("greet::hello(const std::string &)"), 1u) << p;
  EXPECT_EQ(p.count("greet::hello_loudly"), 1u);
  EXPECT_EQ(p.count("greet::shout"), 2u);
  EXPECT_EQ(p.size(), 3u);
}

TEST(Consumer, FiltersOfTallyInstrument) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    volatile int sink = filtered::compiled() + filtered::shown() + filtered::hidden() +
                        other::not_ours() + filtered::skip<int, long>() +
                        filtered::vendored_impl();
    (void)sink;
  });
  EXPECT_EQ(p.count("filtered::compiled"), 1u) << p;
  EXPECT_EQ(p.count("filtered::shown"), 1u);  // header code, compiled here
  EXPECT_EQ(p.count("filtered::skip<int, int>"), 1u);
  // EXCLUDE_FUNCTIONS: not counted at their entries; the calls that
  // compiled() makes into them are counted at the call sites (calls into,
  // on by default).
  EXPECT_EQ(p.count("filtered::skip<int, long>"), 1u);
  EXPECT_EQ(p.count("filtered::hidden"), 1u);
  EXPECT_EQ(p.count("other::not_ours"), 0u);          // not in FUNCTIONS
  EXPECT_EQ(p.count("filtered::vendored_impl"), 0u);  // EXCLUDE
  EXPECT_EQ(p.size(), 5u);
  for (const tally::Entry& e : p)
    EXPECT_EQ(e.kind, e.name == "filtered::skip<int, long>" || e.name == "filtered::hidden"
                          ? tally::Entry::Kind::calls
                          : tally::Entry::Kind::entries)
        << e.signature;
}

TEST(Consumer, NothingFromTheStandardLibrary) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto p = tally::profile([] {
    std::vector<double> v{2.5, 1.0};
    volatile double d = geometry::largest(v);
    (void)d;
  });
  for (const tally::Entry& e : p) EXPECT_EQ(e.file.find("/usr/"), std::string::npos) << e.file;
  EXPECT_EQ(p.total(), 1u) << p;
}

}  // namespace
