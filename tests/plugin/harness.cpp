// Runs an annotated test program and checks its profile against the
// annotations in its source files.  This file is compiled without the
// plugin; the annotated files are compiled with it and define run().
//
// Annotations, in a comment on the line of a function's name:
//   // calls: 3 ns::f(int)                 f ran 3 times during run()
//   // calls: 2 max<int>(int, int) | 1 max<double>(double, double)
//   // calls: none                         nothing on this line was counted
// and anywhere in the file:
//   // query: ns::f = 3                    Profile::count("ns::f") == 3
//   // calls into: 2 fopen(const char *, const char *)
//                                          fopen was called 2 times from
//                                          instrumented code, counted at the
//                                          call sites (Entry::Kind::calls)
//   // from: ns::f <- ns::g = 2            count("ns::f", from("ns::g")) == 2
// and, with callers, on the line of a call:
//   // site: 2 ns::f(int) <- ns::g()       the call of f here, in g, made 2
//                                          calls (a call site of callers)
// (With TALLY_TEST_WITHOUT_CALLERS set, for the same program built without
// callers: no call site, and every "from" count 0.)
//
// With TALLY_TEST_READ=<path>, the program does not run: it checks the
// annotations against what an earlier run of it left in <path>, a session
// report (tally record -o <path>) or a TALLY_DUMP_DIR directory, so that
// those are shown to carry the same counts and call sites.
//
// Every counted function must be annotated: an entry on a line without an
// annotation is a failure, so is a difference in name or count, and so is
// a count of calls into a function that no "calls into" names.  Where a
// file has "site" annotations, so must every counted call site, and the
// rows of callers() must add up to each function's count.
#include "tally/report.hpp"
#include "tally/tally.hpp"

#include <cstdlib>     // EXIT_SUCCESS, std::getenv, std::strtoull
#include <filesystem>  // std::filesystem::absolute
#include <fstream>     // std::ifstream
#include <iostream>    // std::cout
#include <map>         // std::map
#include <set>         // std::set
#include <sstream>     // std::istringstream
#include <string>      // std::string
#include <utility>     // std::pair
#include <vector>      // std::vector

void run();

namespace {

using Location = std::pair<std::string, std::uint32_t>;  // file, line
using Calls = std::multiset<std::pair<std::string, std::uint64_t>>;

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  std::size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct Annotations {
  std::map<Location, Calls> calls;
  std::map<Location, Calls> sites;  // "callee <- caller"
  std::vector<std::pair<std::pair<std::string, std::string>, std::uint64_t>> from;
  std::map<std::string, std::uint64_t> into;  // by signature
  std::vector<std::pair<std::string, std::uint64_t>> queries;
  std::vector<std::string> errors;

  void read(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
      errors.push_back("cannot read " + path);
      return;
    }
    std::string text;
    for (std::uint32_t line = 1; std::getline(in, text); ++line) {
      if (std::size_t at = text.find("// calls:"); at != std::string::npos)
        readCalls(path, line, trim(text.substr(at + 9)));
      if (std::size_t at = text.find("// query:"); at != std::string::npos)
        readQuery(path, line, text.substr(at + 9));
      if (std::size_t at = text.find("// calls into:"); at != std::string::npos)
        readInto(path, line, trim(text.substr(at + 14)));
      if (std::size_t at = text.find("// site:"); at != std::string::npos)
        readCalls(path, line, trim(text.substr(at + 8)), sites);
      if (std::size_t at = text.find("// from:"); at != std::string::npos)
        readFrom(path, line, text.substr(at + 8));
    }
  }

  void readFrom(const std::string& path, std::uint32_t line, const std::string& spec) {
    std::size_t arrow = spec.find("<-"), eq = spec.rfind('=');
    if (arrow == std::string::npos || eq == std::string::npos || eq < arrow) {
      errors.push_back(path + ":" + std::to_string(line) + ": malformed \"from\"");
      return;
    }
    from.push_back({{trim(spec.substr(0, arrow)), trim(spec.substr(arrow + 2, eq - arrow - 2))},
                    std::stoull(trim(spec.substr(eq + 1)))});
  }

  void readCalls(const std::string& path, std::uint32_t line,
                 const std::string& spec) {
    readCalls(path, line, spec, calls);
  }

  void readCalls(const std::string& path, std::uint32_t line,
                 const std::string& spec, std::map<Location, Calls>& into) {
    Calls& expected = into[{path, line}];
    if (spec == "none") return;
    std::istringstream items(spec);
    for (std::string item; std::getline(items, item, '|');) {
      item = trim(item);
      std::size_t space = item.find(' ');
      if (space == std::string::npos || item.find_first_not_of("0123456789") != space) {
        errors.push_back(path + ":" + std::to_string(line) +
                         ": malformed annotation '" + item + "'");
        continue;
      }
      expected.insert({trim(item.substr(space + 1)),
                       std::stoull(item.substr(0, space))});
    }
  }

  void readInto(const std::string& path, std::uint32_t line, const std::string& item) {
    std::size_t space = item.find(' ');
    if (space == std::string::npos || space == 0 ||
        item.find_first_not_of("0123456789") != space) {
      errors.push_back(path + ":" + std::to_string(line) + ": malformed annotation '" + item + "'");
      return;
    }
    into[trim(item.substr(space + 1))] += std::stoull(item.substr(0, space));
  }

  void readQuery(const std::string& path, std::uint32_t line,
                 const std::string& spec) {
    std::size_t eq = spec.rfind('=');
    if (eq == std::string::npos) {
      errors.push_back(path + ":" + std::to_string(line) + ": malformed query");
      return;
    }
    queries.push_back({trim(spec.substr(0, eq)),
                       std::stoull(trim(spec.substr(eq + 1)))});
  }
};

std::string describe(const Calls& calls) {
  if (calls.empty()) return "nothing";
  std::string out;
  for (const auto& [signature, count] : calls)
    out += (out.empty() ? "" : " | ") + std::to_string(count) + " " + signature;
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) out.push_back(field);
  return out;
}

std::uint32_t number(const std::string& text) {
  return static_cast<std::uint32_t>(std::strtoull(text.c_str(), nullptr, 10));
}

// The counts of TALLY_DUMP_DIR's files in `dir`: tally-<pid>.tsv and
// tally-<pid>.callers.
tally::Profile read_dumps(const std::string& dir) {
  std::vector<tally::Entry> entries;
  std::vector<tally::CallSite> sites;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(file.path());
    bool callers = file.path().extension() == ".callers";
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> f = fields(line);
      if (callers && f.size() == 8) {
        sites.push_back({f[5], f[4], f[7], f[6], f[1], number(f[2]), number(f[3]),
                         std::strtoull(f[0].c_str(), nullptr, 10)});
      } else if (!callers && f.size() == 6) {
        tally::Entry e{f[4], f[3], f[1], number(f[2]), std::strtoull(f[0].c_str(), nullptr, 10)};
        if (f[5] == "calls") e.kind = tally::Entry::Kind::calls;
        entries.push_back(e);
      } else {
        std::cerr << file.path().string() << ": not a line of a dump: " << line << '\n';
        std::exit(EXIT_FAILURE);
      }
    }
  }
  return tally::Profile(std::move(entries), std::move(sites));
}

// What a session report or a dump directory holds, as a profile of the
// functions called.
tally::Profile read_recorded(const std::string& path) {
  if (std::filesystem::is_directory(path)) return read_dumps(path);
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  tally::Report report = tally::report_from_json(text.str());
  std::vector<tally::Entry> called;
  for (const tally::Entry& e : report.functions)
    if (e.count) called.push_back(e);
  return tally::Profile(std::move(called), report.call_sites);
}

}  // namespace

int main(int argc, char** argv) {
  const char* recorded = std::getenv("TALLY_TEST_READ");
  tally::Profile profile = recorded ? read_recorded(recorded) : tally::profile(run);

  Annotations expected;
  for (int i = 1; i < argc; ++i)
    expected.read(std::filesystem::absolute(argv[i]).lexically_normal().string());
  // The same program built without callers: no call site is counted.
  if (std::getenv("TALLY_TEST_WITHOUT_CALLERS")) {
    expected.sites.clear();
    for (auto& [query, count] : expected.from) count = 0;
  }
  if (argc < 2) expected.errors.push_back("usage: test <annotated source>...");

  std::map<Location, Calls> actual;
  std::map<std::string, std::uint64_t> into;
  for (const tally::Entry& e : profile) {
    if (e.kind == tally::Entry::Kind::calls)
      into[e.signature] += e.count;
    else
      actual[{e.file, e.line}].insert({e.signature, e.count});
  }

  std::vector<std::string> failures = expected.errors;
  // What was counted on each line against what its annotations say (what:
  // "" for entries, "the call sites " for call sites).
  auto compare = [&](const std::map<Location, Calls>& want, const std::map<Location, Calls>& got,
                     const std::string& what, const std::string& annotation) {
    for (const auto& [where, calls] : want) {
      auto it = got.find(where);
      Calls counted = it == got.end() ? Calls{} : it->second;
      if (counted != calls)
        failures.push_back(where.first + ":" + std::to_string(where.second) + ": expected " +
                           what + describe(calls) + ", counted " + describe(counted));
    }
    for (const auto& [where, calls] : got)
      if (!want.count(where))
        failures.push_back(where.first + ":" + std::to_string(where.second) + ": counted " +
                           what + describe(calls) + " on a line without " + annotation);
  };
  compare(expected.calls, actual, "", "annotation");
  for (const auto& [signature, count] : expected.into) {
    auto it = into.find(signature);
    std::uint64_t got = it == into.end() ? 0 : it->second;
    if (got != count)
      failures.push_back("calls into " + signature + ": expected " + std::to_string(count) +
                         ", counted " + std::to_string(got));
  }
  for (const auto& [signature, count] : into)
    if (!expected.into.count(signature))
      failures.push_back("calls into " + signature + ": counted " + std::to_string(count) +
                         " without a \"calls into\" annotation");
  for (const auto& [query, count] : expected.queries)
    if (profile.count(query) != count)
      failures.push_back("count(\"" + query + "\") is " +
                         std::to_string(profile.count(query)) + ", expected " +
                         std::to_string(count));

  for (const auto& [query, count] : expected.from) {
    std::uint64_t got = profile.count(query.first, tally::from(query.second));
    if (got != count)
      failures.push_back("count(\"" + query.first + "\", from(\"" + query.second + "\")) is " +
                         std::to_string(got) + ", expected " + std::to_string(count));
  }
  if (!expected.sites.empty()) {
    std::map<Location, Calls> sites;
    for (const tally::CallSite& site : profile.call_sites())
      sites[{site.file, site.line}].insert({site.callee + " <- " + site.caller, site.count});
    compare(expected.sites, sites, "the call sites ", "a \"site\" annotation");
    for (const tally::Entry& e : profile) {
      std::uint64_t rows = 0;
      for (const tally::CallSite& row : profile.callers(e.signature)) rows += row.count;
      if (rows != profile.count(e.signature))
        failures.push_back("callers(\"" + e.signature + "\") add up to " + std::to_string(rows) +
                           ", count() is " + std::to_string(profile.count(e.signature)));
    }
  }

  std::size_t checks = expected.calls.size() + expected.into.size() + expected.queries.size() +
                       expected.from.size() + expected.sites.size();
  if (failures.empty()) {
    std::cout << checks << " annotations hold\n";
    return EXIT_SUCCESS;
  }
  std::cout << profile;
  for (const std::string& f : failures) std::cout << "FAIL: " << f << '\n';
  return EXIT_FAILURE;
}
