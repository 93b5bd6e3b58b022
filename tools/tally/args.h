// Command-line arguments of a subcommand, and its errors.
#ifndef TALLY_TOOLS_ARGS_H_
#define TALLY_TOOLS_ARGS_H_

#include <cstdint>    // std::uint64_t
#include <map>        // std::map
#include <optional>   // std::optional
#include <regex>      // std::regex
#include <set>        // std::set
#include <stdexcept>  // std::runtime_error
#include <string>     // std::string
#include <vector>     // std::vector

namespace tally::tool {

// Bad arguments or input: the subcommand prints "tally <command>: <what>"
// and exits with kUsageError.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Splits arguments into options, positional arguments and, after "--", the
// rest.  Options are "--name", "--name VALUE" or "--name=VALUE"; short
// aliases such as "-o" are given as options of their own.
class Args {
 public:
  Args(const std::vector<std::string>& args, std::set<std::string> valued,
       std::set<std::string> flags);

  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  // A valued option that must be a whole number of at least `min`.
  std::optional<std::uint64_t> number(const std::string& name, std::uint64_t min) const;
  // A valued option that must be a decimal number from `min` to `max`;
  // `what` names it in the error: "--interval must be <what>, not ...".
  std::optional<double> decimal(const std::string& name, double min, double max,
                                const std::string& what) const;
  // A valued option that must be a size in bytes, from 4K to 1024G: bytes,
  // or a number followed by K, M or G ("64M").
  std::optional<std::uint64_t> size(const std::string& name) const;
  // A valued option that must be an ECMAScript regular expression.
  std::optional<std::regex> regex(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  const std::vector<std::string>& rest() const { return rest_; }
  bool has_rest() const { return dash_dash_; }

 private:
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::vector<std::string> rest_;
  bool dash_dash_ = false;
};

// Runs `body`, turning its UsageError and std::exception into a message on
// stderr, "tally <command>: <what>", and exit status kUsageError.
int guarded(const char* command, int (*body)(const std::vector<std::string>&),
            const std::vector<std::string>& args);

}  // namespace tally::tool

#endif  // TALLY_TOOLS_ARGS_H_
