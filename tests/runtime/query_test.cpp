// Query matching and Profile arithmetic, on hand-made entries.
#include <gtest/gtest.h>

#include <iterator>
#include <regex>
#include <sstream>

#include "entries.hpp"
#include "tally/tally.hpp"

namespace {

// An entry whose name is the signature up to its parameter list (the last
// balanced parentheses: lambdas have parentheses inside their names).
tally::Entry fn(const std::string& signature, std::uint64_t count = 1) {
  std::size_t depth = 0, open = signature.size();
  for (std::size_t i = signature.size(); i-- > 0;) {
    if (signature[i] == ')') ++depth;
    if (signature[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  return entry(signature, open, count);
}

TEST(Matches, SignatureWithParameters) {
  auto e = fn("example::http::get(const std::string &)");
  EXPECT_TRUE(tally::matches(e, "example::http::get(const std::string &)"));
  EXPECT_TRUE(tally::matches(e, "example::http::get(const std::string&)"));
  EXPECT_TRUE(tally::matches(e, " example :: http :: get ( const std::string & ) "));
  EXPECT_FALSE(tally::matches(e, "example::http::get(std::string)"));
  EXPECT_FALSE(tally::matches(e, "example::http::get()"));
}

TEST(Matches, NameMatchesEveryOverload) {
  EXPECT_TRUE(tally::matches(fn("ns::f(int)"), "ns::f"));
  EXPECT_TRUE(tally::matches(fn("ns::f(double) const"), "ns::f"));
  EXPECT_TRUE(tally::matches(fn("ns::f(double) const"), "ns::f(double) const"));
  EXPECT_FALSE(tally::matches(fn("ns::f(double) const"), "ns::f(double)"));
}

TEST(Matches, NeverAPrefixOfAnotherName) {
  EXPECT_FALSE(tally::matches(fn("ns::fetch(int)"), "ns::f"));
  EXPECT_FALSE(tally::matches(fn("ns::f::g()"), "ns::f"));
  EXPECT_FALSE(tally::matches(fn("example::run::(lambda at a.cpp:3:5)(int) const"),
                              "example::run"));
  EXPECT_FALSE(tally::matches(fn("other::ns::f()"), "ns::f"));
  EXPECT_FALSE(tally::matches(fn("ns::f()"), "ns::f(i"));
}

TEST(Matches, TemplateArgumentsMayBeLeftOut) {
  auto max_int = fn("example::max<int>(int, int)");
  EXPECT_TRUE(tally::matches(max_int, "example::max"));
  EXPECT_TRUE(tally::matches(max_int, "example::max<int>"));
  EXPECT_TRUE(tally::matches(max_int, "example::max(int, int)"));
  EXPECT_FALSE(tally::matches(max_int, "example::max<double>"));
  EXPECT_FALSE(tally::matches(max_int, "example::max<>"));

  auto put = fn("example::Box<std::vector<int>>::put(const std::vector<int> &)");
  EXPECT_TRUE(tally::matches(put, "example::Box::put"));
  EXPECT_TRUE(tally::matches(put, "example::Box<std::vector<int>>::put"));
  EXPECT_TRUE(tally::matches(put, "example::Box<std::vector<int> >::put"));
  EXPECT_TRUE(tally::matches(put, "example::Box::put(const std::vector<int>&)"));
  // Only the name's template arguments may be left out, not the parameters'.
  EXPECT_FALSE(tally::matches(put, "example::Box::put(const std::vector&)"));
}

TEST(Matches, OperatorsAreNotTemplateArguments) {
  EXPECT_TRUE(tally::matches(fn("ns::X::operator<(const ns::X &) const"), "ns::X::operator<"));
  EXPECT_TRUE(tally::matches(fn("ns::operator<<(std::ostream &, const ns::X &)"), "ns::operator<<"));
  EXPECT_FALSE(tally::matches(fn("ns::operator<<(std::ostream &, const ns::X &)"), "ns::operator"));
  EXPECT_TRUE(tally::matches(fn("ns::X::operator()(int) const"), "ns::X::operator()"));
  EXPECT_TRUE(tally::matches(fn("ns::X::operator()(int) const"), "ns::X::operator()(int) const"));
  EXPECT_TRUE(tally::matches(fn("ns::Box<int>::operator<=(int)"), "ns::Box::operator<="));
  EXPECT_TRUE(tally::matches(fn("ns::X::operator long() const"), "ns::X::operator long"));
}

TEST(Matches, OperatorTemplates) {
  auto less = fn("ns::operator<<int>(const ns::V<int> &, const ns::V<int> &)");
  EXPECT_TRUE(tally::matches(less, "ns::operator<"));
  EXPECT_TRUE(tally::matches(less, "ns::operator<<int>"));
  EXPECT_TRUE(tally::matches(less, "ns::operator< <int>"));
  EXPECT_FALSE(tally::matches(less, "ns::operator<<"));
  EXPECT_FALSE(tally::matches(less, "ns::operator<<long>"));
  auto shift = fn("ns::operator<<<char>(std::ostream &, char)");
  EXPECT_TRUE(tally::matches(shift, "ns::operator<<"));
  EXPECT_TRUE(tally::matches(shift, "ns::operator<< <char>"));
  EXPECT_FALSE(tally::matches(shift, "ns::operator<"));
  auto call = fn("ns::X::operator()<int>(int) const");
  EXPECT_TRUE(tally::matches(call, "ns::X::operator()"));
  EXPECT_TRUE(tally::matches(call, "ns::X::operator()(int) const"));
  EXPECT_TRUE(tally::matches(call, "ns::X::operator()<int>(int) const"));
  auto minus = fn("ns::operator-<double>(ns::V<double>)");
  EXPECT_TRUE(tally::matches(minus, "ns::operator-"));
  EXPECT_FALSE(tally::matches(minus, "ns::operator->"));
  auto spaceship = fn("ns::X::operator<=>(const ns::X &) const");
  EXPECT_TRUE(tally::matches(spaceship, "ns::X::operator<=>"));
  EXPECT_FALSE(tally::matches(spaceship, "ns::X::operator<="));
  EXPECT_TRUE(tally::matches(fn("ns::X::operator new(std::size_t)"), "ns::X::operator new"));
}

TEST(Matches, Lambdas) {
  auto lambda = fn("example::run::(lambda at a.cpp:3:5)(int) const");
  EXPECT_TRUE(tally::matches(lambda, "example::run::(lambda at a.cpp:3:5)"));
  EXPECT_TRUE(tally::matches(lambda, "example::run::(lambda at a.cpp:3:5)(int) const"));
  EXPECT_FALSE(tally::matches(lambda, "example::run::(lambda at a.cpp:3:6)"));
}

TEST(Matches, EmptyQueryMatchesNothing) {
  EXPECT_FALSE(tally::matches(fn("f()"), ""));
  EXPECT_FALSE(tally::matches(fn("f()"), "   "));
}

TEST(Profile, SumsEntriesOfTheSameFunction) {
  tally::Profile p({entry("f()", 1, 2), entry("g()", 1, 5), entry("f()", 1, 3)});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.count("f"), 5u);
  EXPECT_EQ(p.count("g()"), 5u);
  EXPECT_EQ(p.total(), 10u);
}

TEST(Profile, KeepsFunctionsFromDifferentPlacesApart) {
  tally::Profile p({entry("helper()", 6, 2, "/src/a.cpp", 3),
                    entry("helper()", 6, 3, "/src/b.cpp", 3)});
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p.count("helper"), 5u);
}

TEST(Profile, SortsByCountThenSignature) {
  tally::Profile p({entry("b()", 1, 1), entry("c()", 1, 7), entry("a()", 1, 1)});
  std::vector<std::string> order;
  for (const tally::Entry& e : p) order.push_back(e.signature);
  EXPECT_EQ(order, (std::vector<std::string>{"c()", "a()", "b()"}));
}

TEST(Profile, CountsCallsIntoFunctionsLikeEntries) {
  tally::Profile p({calls_into("fopen(const char *, const char *)", 5, 3),
                    entry("load()", 4, 2, "/src/a.cpp", 9),
                    calls_into("fopen(const char *, const char *)", 5, 1)});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.count("fopen"), 4u);
  EXPECT_EQ(p.count("fopen(const char *, const char *)"), 4u);
  EXPECT_EQ(p.total(), 6u);
  EXPECT_EQ(p.begin()->kind, tally::Entry::Kind::calls);
  EXPECT_EQ(std::next(p.begin())->kind, tally::Entry::Kind::entries);
}

// A function instrumented in one module and called from another whose
// filters leave its header out is counted at its entry and at the call
// sites: the entry count has every call, the other is left out.
TEST(Profile, NeverAddsCallsOfAnInstrumentedFunctionTwice) {
  tally::Profile p({entry("lib::twice(int)", 10, 4, "/src/lib.cpp", 3),
                    calls_into("lib::twice(int)", 10, 3, "/src/lib.hpp", 2),
                    calls_into("fclose(FILE *)", 6, 1, "/usr/include/stdio.h", 178)});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.count("lib::twice"), 4u);
  EXPECT_EQ(p.begin()->kind, tally::Entry::Kind::entries);
  EXPECT_EQ(p.begin()->file, "/src/lib.cpp");
  EXPECT_EQ(p.count("fclose"), 1u);
}

TEST(Profile, KeepsEntriesAndCallsIntoOneFunctionApart) {
  tally::Entry a = entry("f()", 1, 1, "/src/f.hpp", 2);
  tally::Entry b = calls_into("f()", 1, 1, "/src/f.hpp", 2);
  EXPECT_FALSE(tally::SameFunction()(a, b));
  EXPECT_TRUE(tally::FunctionOrder()(a, b));
  EXPECT_FALSE(tally::FunctionOrder()(b, a));
}

TEST(Profile, PrintsCallsIntoAtTheirDeclaration) {
  tally::Profile p({calls_into("fopen(const char *, const char *)", 5, 2),
                    entry("load()", 4, 1, "/src/a.cpp", 9)});
  std::ostringstream out;
  out << p;
  EXPECT_EQ(out.str(),
            "count  function                           location\n"
            "    2  fopen(const char *, const char *)  /usr/include/stdio.h:258 (calls into)\n"
            "    1  load()                             /src/a.cpp:9\n");
}

TEST(Profile, UnknownQueryCountsZero) {
  tally::Profile p({entry("f()", 1, 2)});
  EXPECT_EQ(p.count("g"), 0u);
  EXPECT_EQ(tally::Profile().count("f"), 0u);
  EXPECT_EQ(tally::Profile().total(), 0u);
}

TEST(Profile, PrintsAnAlignedTable) {
  tally::Profile p({entry("example::http::get(const std::string &)", 18, 4,
                          "/src/http.cpp", 12),
                    entry("example::download()", 17, 1, "/src/downloader.cpp", 7)});
  std::ostringstream out;
  out << p;
  EXPECT_EQ(out.str(),
            "count  function                                 location\n"
            "    4  example::http::get(const std::string &)  /src/http.cpp:12\n"
            "    1  example::download()                      /src/downloader.cpp:7\n");
}

TEST(Profile, PrintsMarkedRowsAndCutsLongTables) {
  tally::Profile p({entry("a()", 1, 9, "/src/a.cpp", 1), entry("b()", 1, 5, "/src/b.cpp", 2),
                    entry("c()", 1, 2, "/src/c.cpp", 3), entry("d()", 1, 1, "/src/d.cpp", 4)});
  std::ostringstream out;
  tally::TableOptions options;
  options.mark = [](const tally::Entry& e) { return e.name == "b"; };
  options.max_rows = 2;
  tally::print_table(out, p, options);
  EXPECT_EQ(out.str(),
            "  count  function  location\n"
            "      9  a()       /src/a.cpp:1\n"
            ">     5  b()       /src/b.cpp:2\n"
            "  ... 2 more functions, 3 calls\n");
}

TEST(Profile, Top) {
  tally::Profile p({entry("a()", 1, 1), entry("b()", 1, 5), entry("c()", 1, 3)});
  std::vector<std::string> order;
  for (const tally::Entry& e : p.top(2)) order.push_back(e.signature);
  EXPECT_EQ(order, (std::vector<std::string>{"b()", "c()"}));
  EXPECT_EQ(p.top(10).size(), 3u);
  EXPECT_TRUE(p.top(0).empty());
}

TEST(Profile, Matching) {
  tally::Profile p({entry("shop::db::query()", 15, 6), entry("shop::db::open()", 14, 1),
                    entry("shop::load()", 10, 1)});
  tally::Profile db = p.matching("^shop::db::");
  EXPECT_EQ(db.size(), 2u);
  EXPECT_EQ(db.total(), 7u);
  EXPECT_TRUE(p.matching("^nothing$").empty());
  EXPECT_THROW(p.matching("("), std::regex_error);
}

TEST(Profile, Changes) {
  tally::Profile before({entry("a()", 1, 5), entry("b()", 1, 2), entry("c()", 1, 1)});
  tally::Profile after({entry("a()", 1, 5), entry("b()", 1, 7), entry("d()", 1, 3)});
  std::vector<tally::Change> diff = tally::changes(before, after);
  ASSERT_EQ(diff.size(), 3u);
  EXPECT_EQ(diff[0].signature, "b()");
  EXPECT_EQ(diff[0].before, 2u);
  EXPECT_EQ(diff[0].after, 7u);
  EXPECT_EQ(diff[1].signature, "d()");
  EXPECT_EQ(diff[1].before, 0u);
  EXPECT_EQ(diff[1].after, 3u);
  EXPECT_EQ(diff[2].signature, "c()");
  EXPECT_EQ(diff[2].before, 1u);
  EXPECT_EQ(diff[2].after, 0u);
  EXPECT_TRUE(tally::changes(after, after).empty());
}

TEST(Profile, Equality) {
  tally::Profile a({entry("a()", 1, 1), entry("b()", 1, 5)});
  tally::Profile b({entry("b()", 1, 5), entry("a()", 1, 1)});
  tally::Profile c({entry("a()", 1, 2), entry("b()", 1, 5)});
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
  EXPECT_FALSE(a == c);
  EXPECT_FALSE(a == a.top(1));
}

// A call site of `callee` in `caller` at line:column of a.cpp.
tally::CallSite site(const std::string& callee, const std::string& caller, std::uint32_t line,
                     std::uint32_t column, std::uint64_t count) {
  tally::CallSite s;
  s.callee = callee;
  s.callee_name = callee.substr(0, callee.find('('));
  s.caller = caller;
  s.caller_name = caller.substr(0, caller.find('('));
  s.file = "/src/a.cpp";
  s.line = line;
  s.column = column;
  s.count = count;
  return s;
}

tally::Profile with_sites() {
  return tally::Profile(
      {fn("db::query(int)", 9), fn("load()", 1), fn("one(int)", 4)},
      {site("db::query(int)", "one(int)", 5, 10, 4), site("db::query(int)", "load()", 9, 3, 1),
       site("db::query(int)", "load()", 9, 20, 1),
       // one inline function's call site in two modules: one site
       site("db::query(int)", "cache::get(int)", 2, 7, 1),
       site("db::query(int)", "cache::get(int)", 2, 7, 1), site("one(int)", "load()", 8, 3, 4)});
}

TEST(Profile, CallersAreSortedAndAddUpWithElsewhere) {
  std::vector<tally::CallSite> rows = with_sites().callers("db::query");
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].caller, "one(int)");
  EXPECT_EQ(rows[0].count, 4u);
  EXPECT_EQ(rows[1].caller, "cache::get(int)");
  EXPECT_EQ(rows[1].count, 2u);
  EXPECT_EQ(rows[2].caller, "load()");
  EXPECT_EQ(rows[2].column, 3u);
  EXPECT_EQ(rows[3].caller, "load()");
  EXPECT_EQ(rows[3].column, 20u);
  EXPECT_EQ(rows[4].caller, "");  // elsewhere: 9 - 4 - 2 - 1 - 1
  EXPECT_EQ(rows[4].count, 1u);
  EXPECT_EQ(rows[4].file, "");
  // All from call sites: no row for elsewhere.
  std::vector<tally::CallSite> one = with_sites().callers("one");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].count, 4u);
  // Without call sites every call is from elsewhere.
  std::vector<tally::CallSite> load = with_sites().callers("load");
  ASSERT_EQ(load.size(), 1u);
  EXPECT_EQ(load[0].caller, "");
  EXPECT_EQ(load[0].count, 1u);
  EXPECT_TRUE(with_sites().callers("nothing").empty());
}

TEST(Profile, CountFromACaller) {
  tally::Profile p = with_sites();
  EXPECT_EQ(p.count("db::query", tally::from("load")), 2u);
  EXPECT_EQ(p.count("db::query(int)", tally::from("one(int)")), 4u);
  EXPECT_EQ(p.count("db::query", tally::from("cache::get")), 2u);
  EXPECT_EQ(p.count("db::query", tally::from("nobody")), 0u);
  EXPECT_EQ(p.count("one", tally::from("load")), 4u);
  EXPECT_EQ(p.count("load", tally::from("load")), 0u);
  EXPECT_EQ(p.call_sites().size(), 5u);
  EXPECT_EQ(p.call_sites().front().count, 4u);
}

TEST(Profile, TopAndMatchingKeepTheCallSitesOfTheirFunctions) {
  tally::Profile p = with_sites();
  tally::Profile top = p.top(1);  // db::query
  EXPECT_EQ(top.call_sites().size(), 4u);
  EXPECT_EQ(top.count("db::query", tally::from("one")), 4u);
  tally::Profile one = p.matching("^one$");
  ASSERT_EQ(one.call_sites().size(), 1u);
  EXPECT_EQ(one.call_sites()[0].callee, "one(int)");
}

TEST(Profile, EqualityComparesCallSites) {
  tally::Profile a = with_sites();
  tally::Profile b({fn("db::query(int)", 9), fn("load()", 1), fn("one(int)", 4)});
  EXPECT_TRUE(a == with_sites());
  EXPECT_FALSE(a == b);
}

TEST(Profile, PrintsAnEmptyProfile) {
  std::ostringstream out;
  out << tally::Profile();
  EXPECT_EQ(out.str(), "(no calls)\n");
}

}  // namespace
