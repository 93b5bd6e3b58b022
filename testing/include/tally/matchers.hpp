// gMock matchers on tally profiles:
//
//   EXPECT_THAT(calls, tally::Calls("example::http::get", 4));
//   EXPECT_THAT(calls, tally::Calls("shop::db::query", testing::Le(2)));
//   EXPECT_THAT(calls, tally::NoCallsMatching("^example::db::"));
//
// Queries follow tally::matches(); regular expressions (ECMAScript) search
// function names.  A failure explains itself with the rows it is about.
#ifndef TALLY_MATCHERS_HPP_
#define TALLY_MATCHERS_HPP_

// tally's own functions are never counted, even in instrumented code.
#pragma GCC system_header

#include <gmock/gmock.h>  // testing::MatcherInterface, testing::Matcher

#include <cstdint>           // std::uint64_t
#include <initializer_list>  // std::initializer_list
#include <ostream>           // std::ostream
#include <regex>             // std::regex
#include <sstream>           // std::ostringstream
#include <string>            // std::string
#include <utility>           // std::move
#include <vector>            // std::vector

#include "tally/tally.hpp"

namespace tally {
namespace internal {

// "1 time", "3 times".
inline std::string times(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " time" : " times");
}

// The rows of `profile` that `pick` chooses, as a marked table.
template <class Pick>
std::string rows(const Profile& profile, Pick pick) {
  std::vector<Entry> chosen;
  for (const Entry& e : profile)
    if (pick(e)) chosen.push_back(e);
  std::ostringstream out;
  TableOptions options;
  options.mark = [](const Entry&) { return true; };
  options.max_rows = 20;
  print_table(out, Profile(std::move(chosen)), options);
  return out.str();
}

// Where the calls of the functions `query` names came from, as a table
// under "called from", most calls first; nothing without call sites
// (callers, docs/callers.md).
inline std::string call_sites(const Profile& profile, const std::string& query) {
  if (profile.call_sites().empty()) return {};
  std::vector<CallSite> sites = profile.callers(query);
  std::ostringstream out;
  print_call_sites(out, sites, 20);
  return out.str();
}

// Whether `query` names a function that could have run: an instrumented
// function of a module loaded now, or one in `profile`.
inline bool known_query(const std::string& query, const Profile& profile) {
  for (const Entry& e : profile)
    if (matches(e, query)) return true;
  for (const Entry& e : registered_functions())
    if (matches(e, query)) return true;
  return false;
}

// "; did you mean a, b or c?": the nearest names, which are what a typo most
// likely meant.
inline std::string did_you_mean(const std::string& query) {
  std::string out;
  std::vector<std::string> nearest = nearest_names(query, 3);
  for (std::size_t i = 0; i < nearest.size(); ++i)
    out += (i == 0 ? "; did you mean " : i + 1 == nearest.size() ? " or " : ", ") + nearest[i];
  if (!nearest.empty()) out += "?";
  return out;
}

// Where a matcher was written, for the failure that a query naming nothing
// makes.
struct Written {
  const char* file = nullptr;
  int line = 0;
};

// A query that names no function fails the test it is in, whatever wraps
// the matcher (Not, AnyOf): the matcher itself returns false too, with the
// same explanation, but Not would turn that into success.  Reported once
// per matcher.
class UnknownQueries {
 public:
  explicit UnknownQueries(Written written) : written_(written) {}

  void report(const std::string& matcher, const std::string& query,
              ::testing::MatchResultListener* listener) const {
    std::string why = "no function named " + query + did_you_mean(query);
    *listener << "; " << why;
    if (reported_) return;
    reported_ = true;
    std::string message = "tally: " + matcher + " asks about a function that doesn't exist: " +
                          why +
                          " (a query that names no instrumented function fails the test, "
                          "whatever matcher wraps it)";
    if (written_.file)
      ADD_FAILURE_AT(written_.file, written_.line) << message;
    else
      ADD_FAILURE() << message;
  }

 private:
  Written written_;
  mutable bool reported_ = false;
};

// A matcher on a number of calls, described as `subject` followed by the
// count matcher's description ("calls f a number of times that is <= 4").
class CountMatcher : public ::testing::MatcherInterface<const Profile&> {
 public:
  CountMatcher(std::string subject, ::testing::Matcher<std::uint64_t> count)
      : subject_(std::move(subject)), count_(std::move(count)) {}

  void DescribeTo(std::ostream* os) const override {
    *os << subject_;
    count_.DescribeTo(os);
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << subject_;
    count_.DescribeNegationTo(os);
  }

 protected:
  std::string subject_;
  ::testing::Matcher<std::uint64_t> count_;
};

class CallsMatcher : public CountMatcher {
 public:
  CallsMatcher(std::string query, ::testing::Matcher<std::uint64_t> count, Written written,
               std::string name = "Calls")
      : CountMatcher("calls " + query + " a number of times that ", std::move(count)),
        query_(std::move(query)),
        name_(std::move(name)),
        unknown_(written) {}

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    std::uint64_t n = profile.count(query_);
    *listener << "which calls " << query_ << " " << times(n);
    // A query that names nothing would pass any budget: it fails instead.
    if (!known_query(query_, profile)) {
      unknown_.report(name_ + "(\"" + query_ + "\")", query_, listener);
      return false;
    }
    if (n > 0) {
      *listener << ":\n" << rows(profile, [&](const Entry& e) { return matches(e, query_); });
      *listener << call_sites(profile, query_);
    }
    return count_.Matches(n);
  }

 protected:
  std::string query_;
  std::string name_;
  UnknownQueries unknown_;
};

// Calls(query, 0), described as a predicate of its own.
class NotCalledMatcher : public CallsMatcher {
 public:
  NotCalledMatcher(std::string query, Written written)
      : CallsMatcher(std::move(query), ::testing::Eq(std::uint64_t{0}), written, "NotCalled") {}

  void DescribeTo(std::ostream* os) const override { *os << "doesn't call " << query_; }
  void DescribeNegationTo(std::ostream* os) const override { *os << "calls " << query_; }
};

class CallsMatchingMatcher : public CountMatcher {
 public:
  CallsMatchingMatcher(std::string pattern, ::testing::Matcher<std::uint64_t> count)
      : CountMatcher("calls functions matching /" + pattern + "/ a number of times that ",
                     std::move(count)),
        pattern_(std::move(pattern)),
        regex_(pattern_) {}

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    auto picked = [&](const Entry& e) { return std::regex_search(e.name, regex_); };
    std::uint64_t n = 0;
    for (const Entry& e : profile)
      if (picked(e)) n += e.count;
    *listener << "which calls functions matching /" << pattern_ << "/ " << times(n);
    if (n > 0) *listener << ":\n" << rows(profile, picked);
    return count_.Matches(n);
  }

 private:
  std::string pattern_;
  std::regex regex_;
};

class CallsOnlyMatcher : public ::testing::MatcherInterface<const Profile&> {
 public:
  CallsOnlyMatcher(std::vector<std::string> queries, Written written)
      : queries_(std::move(queries)), unknown_(written) {}

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    for (const std::string& q : queries_) {
      if (known_query(q, profile)) continue;
      *listener << "which is asked about a function that doesn't exist";
      unknown_.report("CallsOnly({" + quoted_list() + "})", q, listener);
      return false;
    }
    auto other = [&](const Entry& e) {
      for (const std::string& q : queries_)
        if (matches(e, q)) return false;
      return true;
    };
    std::uint64_t n = 0;
    for (const Entry& e : profile)
      if (other(e)) n += e.count;
    if (n == 0) {
      *listener << "which calls no other function";
      return true;
    }
    *listener << "which also calls:\n" << rows(profile, other);
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "calls no function but " << list();
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "calls some function other than " << list();
  }

 private:
  std::string list() const {
    std::string out;
    for (std::size_t i = 0; i < queries_.size(); ++i)
      out += (i == 0 ? "" : i + 1 == queries_.size() ? " and " : ", ") + queries_[i];
    return out.empty() ? "none" : out;
  }
  std::string quoted_list() const {
    std::string out;
    for (std::size_t i = 0; i < queries_.size(); ++i)
      out += (i == 0 ? "\"" : ", \"") + queries_[i] + "\"";
    return out;
  }

  std::vector<std::string> queries_;
  UnknownQueries unknown_;
};

// Calls(query, count).From(caller): the calls made at call sites in the
// functions `caller` names.
class CallsFromMatcher : public CountMatcher {
 public:
  CallsFromMatcher(std::string query, std::string caller,
                   ::testing::Matcher<std::uint64_t> count, Written written)
      : CountMatcher("calls " + query + " from " + caller + " a number of times that ",
                     std::move(count)),
        query_(std::move(query)),
        caller_(std::move(caller)),
        unknown_(written) {}

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    std::uint64_t n = profile.count(query_, from(caller_));
    *listener << "which calls " << query_ << " from " << caller_ << " " << times(n);
    for (const std::string* q : {&query_, &caller_})
      if (!known_query(*q, profile)) {
        unknown_.report("Calls(\"" + query_ + "\").From(\"" + caller_ + "\")", *q, listener);
        return false;
      }
    if (profile.count(query_) > 0) *listener << ", of all its calls:\n" << call_sites(profile, query_);
    return count_.Matches(n);
  }

 private:
  std::string query_;
  std::string caller_;
  UnknownQueries unknown_;
};

class TotalCallsMatcher : public CountMatcher {
 public:
  explicit TotalCallsMatcher(::testing::Matcher<std::uint64_t> count)
      : CountMatcher("makes a total number of calls that ", std::move(count)) {}

  bool MatchAndExplain(const Profile& profile,
                       ::testing::MatchResultListener* listener) const override {
    *listener << "which makes " << profile.total() << (profile.total() == 1 ? " call" : " calls");
    return count_.Matches(profile.total());
  }
};

}  // namespace internal

// The file and line where a matcher is written (default arguments of the
// functions below; callers leave them out).
#if defined(__GNUC__) || defined(__clang__)
#define TALLY_INTERNAL_WRITTEN ::tally::internal::Written{__builtin_FILE(), __builtin_LINE()}
#else
#define TALLY_INTERNAL_WRITTEN ::tally::internal::Written{}
#endif

// A query that names no instrumented function (a typo) fails the test that
// uses it, even inside Not or AnyOf, with the names it most likely meant.

// What Calls() returns: a matcher, and .From(caller), the same count of
// the calls made from the functions `caller` names.
class CallsMatcherOf : public ::testing::Matcher<const Profile&> {
 public:
  CallsMatcherOf(std::string query, ::testing::Matcher<std::uint64_t> count,
                 internal::Written written)
      : ::testing::Matcher<const Profile&>(new internal::CallsMatcher(query, count, written)),
        query_(std::move(query)),
        count_(std::move(count)),
        written_(written) {}

  // Counts only the calls made at call sites in the functions `caller`
  // names, which tally counts with callers on (TALLY_CALLERS,
  // docs/callers.md); without them every such count is 0.
  ::testing::Matcher<const Profile&> From(std::string caller) const {
    return ::testing::MakeMatcher(
        new internal::CallsFromMatcher(query_, std::move(caller), count_, written_));
  }

 private:
  std::string query_;
  ::testing::Matcher<std::uint64_t> count_;
  internal::Written written_;
};

// The calls of every function `query` names (see tally::matches) are `count`:
// a number, or a gMock matcher on the number (testing::Le(4)).  With
// .From(caller), only the calls from the functions `caller` names.
template <class CountMatcher>
CallsMatcherOf Calls(std::string query, CountMatcher count,
                     internal::Written written = TALLY_INTERNAL_WRITTEN) {
  return CallsMatcherOf(std::move(query), ::testing::MatcherCast<std::uint64_t>(count),
                        written);
}

// No function that `query` names ran.
inline ::testing::Matcher<const Profile&> NotCalled(
    std::string query, internal::Written written = TALLY_INTERNAL_WRITTEN) {
  return ::testing::MakeMatcher(new internal::NotCalledMatcher(std::move(query), written));
}

// The calls of all functions whose names `regex` finds are `count`.
template <class CountMatcher>
::testing::Matcher<const Profile&> CallsMatching(std::string regex, CountMatcher count) {
  return ::testing::MakeMatcher(new internal::CallsMatchingMatcher(
      std::move(regex), ::testing::MatcherCast<std::uint64_t>(count)));
}

// No function whose name `regex` finds ran.
inline ::testing::Matcher<const Profile&> NoCallsMatching(std::string regex) {
  return CallsMatching(std::move(regex), std::uint64_t{0});
}

// No function ran but those that the queries name.
inline ::testing::Matcher<const Profile&> CallsOnly(
    std::initializer_list<std::string> queries,
    internal::Written written = TALLY_INTERNAL_WRITTEN) {
  return ::testing::MakeMatcher(new internal::CallsOnlyMatcher(queries, written));
}

// The calls of all functions together are `count`.
template <class CountMatcher>
::testing::Matcher<const Profile&> TotalCalls(CountMatcher count) {
  return ::testing::MakeMatcher(
      new internal::TotalCallsMatcher(::testing::MatcherCast<std::uint64_t>(count)));
}

}  // namespace tally

#endif  // TALLY_MATCHERS_HPP_
