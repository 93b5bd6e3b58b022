// Matching queries against function names and signatures.
#include "tally/tally.hpp"

#include "entries.h"  // detail::matches_function

#include <algorithm>  // std::min, std::sort, std::any_of
#include <cctype>     // std::isspace, std::isalnum
#include <utility>    // std::pair
#include <vector>     // std::vector

namespace tally {
namespace {

std::string without_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  return out;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The spellings of overloadable operators after the keyword 'operator',
// longest first where one begins another.
constexpr std::string_view kOperators[] = {
    "<=>", "<<=", ">>=", "->*", "()", "[]", "<<", ">>", "<=", ">=", "==",
    "!=",  "&&",  "||",  "++",  "--", "+=", "-=", "*=", "/=", "%=", "^=",
    "&=",  "|=",  "->",  "<",   ">",  "+",  "-",  "*",  "/",  "%",  "^",
    "&",   "|",   "~",   "!",   "=",  ","};

// Whether the keyword 'operator' starts at text[i].
bool operator_keyword_at(std::string_view text, std::size_t i) {
  constexpr std::string_view kOperator = "operator";
  return text.compare(i, kOperator.size(), kOperator) == 0 &&
         (i == 0 || !is_identifier_char(text[i - 1]));
}

// Index just past the template argument list that opens at text[i], or npos
// when it does not close.
std::size_t skip_template_arguments(std::string_view text, std::size_t i) {
  int angles = 0, parens = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(') ++parens;
    else if (c == ')') --parens;
    else if (parens == 0 && c == '<') ++angles;
    else if (parens == 0 && c == '>' && --angles == 0) return i + 1;
  }
  return std::string_view::npos;
}

// Whether query[j...] equals text[i...], where the query may leave out any
// template argument list that opens before text[skippable_end].  After
// 'operator', '<' may be the operator or open a template argument list
// ('operator<<int>' is operator< of int): both readings are tried.
bool equal_omitting_arguments(std::string_view text, std::size_t i,
                              std::size_t skippable_end, std::string_view query,
                              std::size_t j) {
  while (i < text.size()) {
    if (operator_keyword_at(text, i)) {
      std::size_t name_end = i + std::string_view("operator").size();
      bool symbol = false;
      for (std::string_view op : kOperators) {
        if (text.compare(name_end, op.size(), op) != 0) continue;
        symbol = true;
        std::size_t n = name_end + op.size() - i;
        if (query.compare(j, n, text.substr(i, n)) == 0 &&
            equal_omitting_arguments(text, i + n, skippable_end, query, j + n))
          return true;
      }
      if (symbol) return false;
      // operator new, operator int, operator""_km: ordinary text
    }
    if (text[i] == '<' && i < skippable_end &&
        (j >= query.size() || query[j] != '<')) {
      i = skip_template_arguments(text, i);
      if (i == std::string_view::npos) return false;
      continue;
    }
    if (j >= query.size() || query[j] != text[i]) return false;
    ++i;
    ++j;
  }
  return j == query.size();
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<std::string> nearest_names(std::string_view query, std::size_t n) {
  std::string q = without_spaces(query);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const Entry& entry : registered_functions()) {
    if (std::any_of(scored.begin(), scored.end(),
                    [&](const auto& s) { return s.second == entry.name; }))
      continue;
    scored.emplace_back(edit_distance(q, without_spaces(entry.name)), entry.name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (std::size_t i = 0; i < scored.size() && i < n; ++i) names.push_back(scored[i].second);
  return names;
}

namespace detail {

bool matches_function(std::string_view name, std::string_view signature,
                      std::string_view query) {
  std::string q = without_spaces(query);
  if (q.empty()) return false;
  std::string n = without_spaces(name);
  std::string s = without_spaces(signature);
  return equal_omitting_arguments(n, 0, n.size(), q, 0) ||
         equal_omitting_arguments(s, 0, n.size(), q, 0);
}

}  // namespace detail

bool matches(const Entry& entry, std::string_view query) {
  return detail::matches_function(entry.name, entry.signature, query);
}

}  // namespace tally
