// The table of subcommands.
#include "commands.h"

namespace tally::tool {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"record", "run a command; write the calls of all its instrumented processes to a report",
       record_usage, run_record},
      {"report", "print a report or a running session: table, JSON or CSV", report_usage,
       run_report},
      {"top", "watch a running session: the most-called functions, live", top_usage, run_top},
      {"diff", "compare two reports; fail when a count rose by more than a threshold",
       diff_usage, run_diff},
      {"names", "list the functions the plugin counts in source files, by their names",
       names_usage, run_names},
  };
  return table;
}

}  // namespace tally::tool
