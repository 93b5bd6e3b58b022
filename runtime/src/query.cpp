// Matching queries against function names and signatures.
#include "tally/tally.hpp"

#include <cctype>   // std::isspace, std::isalnum
#include <cstring>  // std::strchr

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

// Length of the operator token at text[i] ("operator<<=", "operator()"),
// or 0 when no operator name starts there.  Its '<' are not template lists.
std::size_t operator_token_size(std::string_view text, std::size_t i) {
  constexpr std::string_view kOperator = "operator";
  if (text.compare(i, kOperator.size(), kOperator) != 0) return 0;
  if (i > 0 && is_identifier_char(text[i - 1])) return 0;
  std::size_t k = i + kOperator.size();
  while (k < text.size() && text[k] != '\0' &&
         std::strchr("+-*/%^&|~!=<>,()[]", text[k]))
    ++k;
  return k - i;
}

// Index just past the template argument list that opens at text[i].
std::size_t skip_template_arguments(std::string_view text, std::size_t i) {
  int angles = 0, parens = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(') ++parens;
    else if (c == ')') --parens;
    else if (parens == 0 && c == '<') ++angles;
    else if (parens == 0 && c == '>' && --angles == 0) return i + 1;
  }
  return text.size();
}

// Whether query equals text, where the query may leave out any template
// argument list that opens before text[skippable_end].
bool equal_omitting_arguments(std::string_view text, std::size_t skippable_end,
                              std::string_view query) {
  std::size_t i = 0, j = 0;
  while (i < text.size()) {
    if (std::size_t n = operator_token_size(text, i)) {
      if (query.compare(j, n, text.substr(i, n)) != 0) return false;
      i += n;
      j += n;
      continue;
    }
    if (text[i] == '<' && i < skippable_end &&
        (j >= query.size() || query[j] != '<')) {
      i = skip_template_arguments(text, i);
      continue;
    }
    if (j >= query.size() || query[j] != text[i]) return false;
    ++i;
    ++j;
  }
  return j == query.size();
}

}  // namespace

bool matches(const Entry& entry, std::string_view query) {
  std::string q = without_spaces(query);
  if (q.empty()) return false;
  std::string name = without_spaces(entry.name);
  std::string signature = without_spaces(entry.signature);
  return equal_omitting_arguments(name, name.size(), q) ||
         equal_omitting_arguments(signature, name.size(), q);
}

}  // namespace tally
