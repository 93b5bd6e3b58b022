// Fuzz target: the tally tool's argument parser (tools/tally/args.h), with
// the options of each command, read as the command reads them.  The input
// is split at NUL bytes into arguments; the first picks the command.
#include "args.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using tally::tool::Args;
using tally::tool::UsageError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned command = data[0] % 5;
  std::vector<std::string> args(1);
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] == '\0')
      args.emplace_back();
    else
      args.back().push_back(static_cast<char>(data[i]));
  }
  try {
    switch (command) {
      case 0: {  // tally record
        Args a(args, {"--session", "--size", "-o", "--output"}, {"--no-preload"});
        (void)a.value("--session"), (void)a.value("-o"), (void)a.value("--output");
        (void)a.size("--size");
        (void)a.flag("--no-preload");
        break;
      }
      case 1: {  // tally report
        Args a(args, {"--session", "--format", "--top", "--match"},
               {"--uncalled", "--calls-into"});
        (void)a.value("--session"), (void)a.value("--format");
        (void)a.number("--top", 1);
        (void)a.regex("--match");
        (void)a.flag("--uncalled"), (void)a.flag("--calls-into");
        break;
      }
      case 2: {  // tally top
        Args a(args, {"--session", "--interval", "--top", "--count"}, {});
        (void)a.decimal("--interval", 0.01, 3600, "seconds, from 0.01 to 3600");
        (void)a.number("--top", 1), (void)a.number("--count", 1);
        break;
      }
      case 3: {  // tally diff
        Args a(args, {"--threshold"}, {});
        (void)a.decimal("--threshold", 0, 1e12, "a percentage of 0 or more");
        break;
      }
      default: {  // tally names
        Args a(args, {"-p", "--match", "--format"}, {});
        (void)a.value("-p"), (void)a.value("--format");
        (void)a.regex("--match");
        break;
      }
    }
  } catch (const UsageError&) {
  }
  return 0;
}
