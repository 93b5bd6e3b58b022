#include "args.h"

#include <fmt/core.h>

#include <cctype>  // std::isdigit

#include "commands.h"

namespace tally::tool {

Args::Args(const std::vector<std::string>& args, std::set<std::string> valued,
           std::set<std::string> flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      dash_dash_ = true;
      rest_.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      return;
    }
    if (a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool has_value = false;
    if (std::size_t eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (valued.count(name)) {
      if (!has_value) {
        if (i + 1 == args.size()) throw UsageError(name + " needs a value");
        value = args[++i];
      }
      values_[name] = value;
    } else if (flags.count(name) && !has_value) {
      flags_.insert(name);
    } else {
      throw UsageError("unknown option " + a);
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint64_t> Args::number(const std::string& name, std::uint64_t min) const {
  std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  std::size_t end = 0;
  std::uint64_t n = 0;
  try {
    n = std::stoull(*text, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  if (end == 0 || end != text->size() || (*text)[0] == '-' || n < min)
    throw UsageError(name + " must be a whole number of at least " + std::to_string(min) +
                     ", not \"" + *text + "\"");
  return n;
}

std::optional<double> Args::decimal(const std::string& name, double min, double max,
                                   const std::string& what) const {
  std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  std::size_t end = 0;
  double n = 0;
  try {
    n = std::stod(*text, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  if (end == 0 || end != text->size() || !(n >= min && n <= max))
    throw UsageError(name + " must be " + what + ", not \"" + *text + "\"");
  return n;
}

std::optional<std::uint64_t> Args::size(const std::string& name) const {
  std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  std::size_t end = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(*text, &end);
  } catch (const std::exception&) {
    end = 0;
  }
  std::string unit = end ? text->substr(end) : "";
  std::uint64_t scale = unit.empty() ? 1
                        : unit == "K" || unit == "k" ? 1ull << 10
                        : unit == "M" || unit == "m" ? 1ull << 20
                        : unit == "G" || unit == "g" ? 1ull << 30
                                                      : 0;
  if (!end || !scale || (*text)[0] == '-')
    throw UsageError(name + ": not a size: \"" + *text +
                     "\"; write bytes, or a number followed by K, M or G: 64M");
  if (value > (1ull << 40) / scale)
    throw UsageError(name + ": size too large: " + *text + " (at most 1024G)");
  std::uint64_t bytes = value * scale;
  if (bytes < (1ull << 12))
    throw UsageError(name + ": size too small: " + *text + " (at least 4K)");
  return bytes;
}

namespace {

// The first number of more than 9 digits that a regular expression reads as
// a number (a back-reference \N, a repeat count {N,M}), or an empty string.
// The C++ library's parser overflows on them, and no pattern needs one.
std::string too_long_number(const std::string& pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c != '\\' && c != '{' && c != ',') continue;
    auto digit = [&](std::size_t at) {
      return at < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[at]));
    };
    if (c == '\\' && !digit(i + 1)) {
      ++i;  // an escaped character
      continue;
    }
    std::size_t end = i + 1;
    while (digit(end)) ++end;
    if (end - i - 1 > 9) return pattern.substr(i + 1, end - i - 1);
    i = end - 1;
  }
  return {};
}

}  // namespace

std::optional<std::regex> Args::regex(const std::string& name) const {
  std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  if (std::string number = too_long_number(*text); !number.empty())
    throw UsageError(name + ": not a valid regular expression: \"" + *text + "\" (" + number +
                     ": a back-reference or repeat count has at most 9 digits)");
  try {
    return std::regex(*text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw UsageError(name + ": not a valid regular expression: \"" + *text + "\" (" +
                     e.what() + ")");
  }
}

int guarded(const char* command, int (*body)(const std::vector<std::string>&),
            const std::vector<std::string>& args) {
  try {
    return body(args);
  } catch (const UsageError& e) {
    fmt::print(stderr, "tally {}: {}; see tally {} --help\n", command, e.what(), command);
  } catch (const std::exception& e) {
    fmt::print(stderr, "tally {}: {}\n", command, e.what());
  }
  return kUsageError;
}

}  // namespace tally::tool
