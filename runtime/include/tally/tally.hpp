// tally: exact function call counts for tests.
//
//   auto calls = tally::profile([&] { example::download(urls, 4); });
//   EXPECT_EQ(calls.count("example::http::get"), 4);
//
// Functions are counted when their code is compiled with the tally Clang
// plugin (see tally_instrument() in CMake).  Counting costs one unlocked
// increment per call, of a counter only the calling thread writes, and
// never takes a lock.
#ifndef TALLY_TALLY_HPP_
#define TALLY_TALLY_HPP_

// The version of tally, the one place it is written (CMake reads it here):
// TALLY_VERSION is major * 10000 + minor * 100 + patch.
#define TALLY_VERSION_MAJOR 0
#define TALLY_VERSION_MINOR 1
#define TALLY_VERSION_PATCH 0
#define TALLY_VERSION \
  (TALLY_VERSION_MAJOR * 10000 + TALLY_VERSION_MINOR * 100 + TALLY_VERSION_PATCH)

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t
#include <functional>   // std::function
#include <ostream>      // std::ostream
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::forward
#include <vector>       // std::vector

// Put before a function's declaration to leave it uncounted:
//   TALLY_NO_INSTRUMENT void hot_loop_helper();
// It is the no_instrument_function attribute, which GCC understands too.
#if defined(__has_attribute)
#if __has_attribute(no_instrument_function)
#define TALLY_NO_INSTRUMENT __attribute__((no_instrument_function))
#endif
#endif
#ifndef TALLY_NO_INSTRUMENT
#define TALLY_NO_INSTRUMENT
#endif

namespace tally {

// One counted function and how many times it ran.
struct Entry {
  // What the count counts.  entries: runs of an instrumented function, at
  // its entry.  calls: calls of a function that is not instrumented (a C
  // library function, another library's), counted where instrumented code
  // calls it; file and line are then those of its first declaration.  See
  // docs/calls-into.md.
  // call_site: one call site of a function (callers, docs/callers.md);
  // such entries are only inside tally, never in a Profile or a report.
  enum class Kind : std::uint8_t { entries, calls, call_site };

  std::string signature;  // example::http::get(const std::string &)
  std::string name;       // example::http::get
  std::string file;       // absolute path of the defining source file
  std::uint32_t line = 0; // line of the function's name
  std::uint64_t count = 0;
  Kind kind = Kind::entries;
};

// What makes two entries one function: the same signature, defined at the
// same file and line, counted the same way (Entry::Kind).  The same inline function compiled into several
// modules is one function; two functions that print alike
// ((anonymous namespace)::helper() in two files) are two.  Every part of
// tally that merges or orders entries goes by this.  Both take any records
// with those three members (Entry, Change).
struct SameFunction {
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return a.signature == b.signature && a.file == b.file && a.line == b.line &&
           a.kind == b.kind;
  }
};
// The order of functions: by signature, then file, then line, then kind.
struct FunctionOrder {
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    if (a.signature != b.signature) return a.signature < b.signature;
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    return a.kind < b.kind;
  }
};

// Whether `query` names the function `entry`.  Whitespace is ignored.  A
// query with a parameter list must equal the signature; one without matches
// every overload, and may leave out template argument lists of the name:
// "example::max" matches "example::max<int>", and "example::Box::put"
// matches "example::Box<int>::put".  A query never matches a function whose
// name merely begins with it.
bool matches(const Entry& entry, std::string_view query);

// One place in instrumented code that calls a counted function, and how
// many of the function's calls came from there: counted where the code was
// compiled with callers on (TALLY_CALLERS, docs/callers.md).
struct CallSite {
  std::string caller;       // the calling function's signature; empty: elsewhere
  std::string caller_name;  // its name
  std::string callee;       // the called function's signature
  std::string callee_name;  // its name
  std::string file;         // where the call is written (a macro: where it expands)
  std::uint32_t line = 0;   // 0: not known
  std::uint32_t column = 0;
  std::uint64_t count = 0;
};

// Restricts Profile::count() to the calls from functions that `caller`
// matches (as tally::matches does): count("db::query", from("load_orders")).
struct From {
  std::string caller;
};
inline From from(std::string_view caller) { return From{std::string(caller)}; }

// The calls made while profile() ran: one entry per function that ran at
// least once, most-called first (ties by signature, then file and line).
// The same function compiled into several modules is one entry.
class Profile {
 public:
  using const_iterator = std::vector<Entry>::const_iterator;

  Profile() = default;
  // Sorts the entries; entries of one function (SameFunction) are summed.
  // Calls counted at call sites (Entry::Kind::calls) of a function that
  // also has an entry count here are left out: those calls are in it.
  explicit Profile(std::vector<Entry> entries);
  // With the call sites counted in the same time (callers): those of one
  // call, caller and callee (file, line, column, caller, callee) are summed.
  Profile(std::vector<Entry> entries, std::vector<CallSite> call_sites);

  // Calls of every function that `query` matches (see tally::matches);
  // 0 when it matches nothing.
  std::uint64_t count(std::string_view query) const;
  // Of those, the calls made at call sites in functions that from.caller
  // matches (counted with callers on; 0 without).
  std::uint64_t count(std::string_view query, const From& from) const;
  // Where the calls of the functions `query` matches came from: their call
  // sites in instrumented code, most calls first (ties by caller, then
  // file, line and column), and, where the sites account for fewer calls
  // than count(query), last a row with an empty caller and the rest: the
  // calls from elsewhere (code not instrumented or compiled without
  // callers, calls through pointers, virtual calls).  The counts add up to
  // count(query).  Without callers every call is from elsewhere.
  std::vector<CallSite> callers(std::string_view query) const;
  // Every call site counted while the profile ran, most calls first.
  const std::vector<CallSite>& call_sites() const { return call_sites_; }
  // Calls of all functions.
  std::uint64_t total() const;

  // The n most-called entries (and the call sites of their functions).
  Profile top(std::size_t n) const;
  // The entries whose names the regular expression (ECMAScript) finds (and
  // the call sites of their functions); throws std::regex_error for an
  // invalid one.
  Profile matching(std::string_view regex) const;

  // Same entries and call sites with the same counts.
  friend bool operator==(const Profile& a, const Profile& b);
  friend bool operator!=(const Profile& a, const Profile& b) { return !(a == b); }

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;
  std::vector<CallSite> call_sites_;
};

// How the count of one function differs between two profiles.
struct Change {
  std::string signature;
  std::string name;
  std::string file;
  std::uint32_t line = 0;
  std::uint64_t before = 0;  // 0: not in the earlier profile
  std::uint64_t after = 0;   // 0: not in the later profile
  Entry::Kind kind = Entry::Kind::entries;
};

// The functions whose counts differ from `before` to `after`, largest change
// first (ties by signature).
std::vector<Change> changes(const Profile& before, const Profile& after);

// Writes the profile as an aligned table: count, signature, file:line.
std::ostream& operator<<(std::ostream& os, const Profile& profile);

struct TableOptions {
  // Rows for which this returns true start with '>'.
  std::function<bool(const Entry&)> mark;
  // At most this many rows (0: all), then a line that counts the rest.
  std::size_t max_rows = 0;
};

// The table of operator<<, with marked rows and a length limit.
void print_table(std::ostream& os, const Profile& profile, const TableOptions& options);

// How GoogleTest and gMock print a Profile in failure messages: an aligned
// table (count, function signature, file:line, most-called first), cut
// after 30 rows with a line that counts the rest.  Declared with Profile, so
// that every file that prints one prints it the same way.
inline void PrintTo(const Profile& profile, std::ostream* os) {
  TableOptions options;
  options.max_rows = 30;
  *os << '\n';
  print_table(*os, profile, options);
}

// Writes call sites (Profile::callers()) as an aligned table: count, the
// calling function ("(elsewhere)" for the row of calls from elsewhere) and
// file:line:column; at most max_rows rows (0: all), then a line that counts
// the rest.
void print_call_sites(std::ostream& os, const std::vector<CallSite>& sites,
                      std::size_t max_rows = 0);

// Every instrumented function of the modules loaded now, called or not, with
// count 0: what a query can name.  Sorted by signature.
std::vector<Entry> registered_functions();

// The names of registered functions nearest to `query` (by edit distance,
// ignoring whitespace), nearest first, at most n of them, each name once.
std::vector<std::string> nearest_names(std::string_view query, std::size_t n = 3);

// True when at least one instrumented function is registered in this process.
bool instrumented();

// A profile that starts when the Profiler is made and is read when asked,
// for code whose start and end are not in one function (a fixture's SetUp()
// and TearDown(), a listener's OnTestStart() and OnTestEnd()):
//
//   tally::Profiler profiler;
//   ...
//   tally::Profile calls = profiler.calls();
//
// profile(fn) is a Profiler around fn().
class Profiler {
 public:
  // Reads every counter: what calls() subtracts.
  Profiler();
  ~Profiler();
  Profiler(Profiler&&) noexcept;
  Profiler& operator=(Profiler&&) noexcept;

  // The calls that any thread made since this Profiler was made; each call
  // of calls() counts from then.  It reads the counters before it allocates
  // anything, so that a profile does not count its own calls of an
  // instrumented operator new.  A moved-from Profiler returns no calls.
  [[nodiscard]] Profile calls();

 private:
  struct Counts;  // libtally's own
  Counts* counts_;
};

// Runs fn() on the calling thread and returns the calls that any thread
// made while it ran.  Profiles nest: an inner profile() sees only its own
// calls, the outer one all of them.  An exception thrown by fn propagates.
// With nothing instrumented the profile is empty.
template <class F>
[[nodiscard]] Profile profile(F&& fn) {
  Profiler profiler;
  std::forward<F>(fn)();
  return profiler.calls();
}

}  // namespace tally

#endif  // TALLY_TALLY_HPP_
