// The subcommands of the tally tool.
#ifndef TALLY_TOOLS_COMMANDS_H_
#define TALLY_TOOLS_COMMANDS_H_

#include <string>  // std::string
#include <vector>  // std::vector

namespace tally::tool {

struct Command {
  const char* name;
  const char* summary;  // one line, for `tally --help`
  const char* usage;    // the whole of `tally <name> --help`
  int (*run)(const std::vector<std::string>& args);
};

// Every subcommand, in the order `tally --help` lists them.
const std::vector<Command>& commands();

// Exit statuses shared by the subcommands.
inline constexpr int kUsageError = 2;  // bad arguments or unreadable input

#define TALLY_DECLARE_COMMAND(name)                  \
  extern const char* const name##_usage;             \
  int run_##name(const std::vector<std::string>& args)

TALLY_DECLARE_COMMAND(record);
TALLY_DECLARE_COMMAND(report);
TALLY_DECLARE_COMMAND(top);
TALLY_DECLARE_COMMAND(diff);
TALLY_DECLARE_COMMAND(names);

#undef TALLY_DECLARE_COMMAND

}  // namespace tally::tool

#endif  // TALLY_TOOLS_COMMANDS_H_
