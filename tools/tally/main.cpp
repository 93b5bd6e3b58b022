// tally: record, read and compare exact function call counts.
#include <fmt/core.h>

#include <string>  // std::string
#include <vector>  // std::vector

#include "commands.h"

namespace {

void print_help() {
  fmt::print(
      "tally: exact function call counts of programs built with the tally plugin\n"
      "\n"
      "usage: tally <command> [options]\n"
      "\n"
      "commands:\n");
  for (const tally::tool::Command& c : tally::tool::commands())
    fmt::print("  {:<8}  {}\n", c.name, c.summary);
  fmt::print("\n'tally <command> --help' describes a command.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? tally::tool::kUsageError : 0;
  }
  for (const tally::tool::Command& c : tally::tool::commands()) {
    if (args[0] != c.name) continue;
    args.erase(args.begin());
    for (const std::string& a : args) {
      if (a == "--") break;
      if (a == "--help" || a == "-h") {
        fmt::print("{}", c.usage);
        return 0;
      }
    }
    return c.run(args);
  }
  fmt::print(stderr, "tally: no command named '{}'; 'tally --help' lists them\n", args[0]);
  return tally::tool::kUsageError;
}
