// tally report: prints the functions of a report file or a running session.
#include <fmt/core.h>

#include <algorithm>  // std::max
#include <regex>      // std::regex

#include "args.h"
#include "commands.h"
#include "entries.h"  // runtime/src: detail::location
#include "inputs.h"

namespace tally::tool {

const char* const report_usage =
    "usage: tally report [FILE | --session NAME] [--format table|json|csv] [--top N]\n"
    "                    [--match REGEX] [--uncalled] [--calls-into]\n"
    "\n"
    "Prints the functions that were called, most-called first, from a report file\n"
    "(tally record's, or a test suite's TALLY_REPORT; default: tally.json) or from a\n"
    "session that is still running.\n"
    "\n"
    "options:\n"
    "  --session NAME   read the running session NAME instead of a file\n"
    "  --format FORMAT  table (default, aligned), json (a tally-profile document) or\n"
    "                   csv (calls,name,signature,file,line,kind)\n"
    "  --top N          only the N first functions\n"
    "  --match REGEX    only functions whose qualified name REGEX finds (ECMAScript)\n"
    "  --uncalled       instead, the instrumented functions that were never called,\n"
    "                   sorted by signature: function coverage by name\n"
    "  --calls-into     only the functions that are not instrumented, whose calls\n"
    "                   instrumented code counted at the call sites (CALLS_INTO)\n";

namespace {

int report(const std::vector<std::string>& arguments) {
  Args args(arguments, {"--session", "--format", "--top", "--match"},
            {"--uncalled", "--calls-into"});
  if (args.positional().size() > 1) throw UsageError("more than one report file");
  if (args.has_rest()) throw UsageError("unexpected --");
  std::optional<std::string> session = args.value("--session");
  if (session && !args.positional().empty())
    throw UsageError("give a report file or --session, not both");
  std::string format = args.value("--format").value_or("table");
  if (format != "table" && format != "json" && format != "csv")
    throw UsageError("--format must be table, json or csv, not \"" + format + "\"");
  std::optional<std::uint64_t> top = args.number("--top", 1);
  std::optional<std::regex> match = args.regex("--match");
  bool uncalled = args.flag("--uncalled");
  bool calls_into = args.flag("--calls-into");

  std::string source = session ? "session " + *session
                               : args.positional().empty() ? "tally.json"
                                                           : args.positional()[0];
  Report input = session ? read_session(*session) : read_report(source);

  std::uint64_t called = 0, calls = 0;
  std::size_t total = 0;
  std::vector<Entry> rows;
  for (const Entry& e : input.functions) {
    if (calls_into && e.kind != Entry::Kind::calls) continue;
    ++total;
    called += e.count != 0;
    calls += e.count;
    if ((e.count == 0) != uncalled) continue;
    if (match && !std::regex_search(e.name, *match)) continue;
    rows.push_back(e);
  }
  // Most-called first, ties by signature, file and line.
  Profile selected(std::move(rows));
  if (top) selected = selected.top(*top);

  if (format == "json") {
    fmt::print("{}", to_json(selected));
    return 0;
  }
  if (format == "csv") {
    fmt::print("calls,name,signature,file,line,kind\n");
    for (const Entry& e : selected)
      fmt::print("{},{},{},{},{},{}\n", e.count, csv_field(e.name), csv_field(e.signature),
                 csv_field(e.file), e.file.empty() ? "" : std::to_string(e.line),
                 e.kind == Entry::Kind::calls ? "calls" : "entries");
    return 0;
  }
  if (!selected.empty()) {
    Table table({{"calls", Table::Align::right}, {"function"}, {"defined at"}});
    for (const Entry& e : selected) table.add({with_commas(e.count), e.signature, detail::location(e)});
    fmt::print("{}\n", table.text());
  }
  const char* what = calls_into ? "functions counted at call sites" : "instrumented functions";
  if (uncalled)
    fmt::print("{} of {} {} never called{}\n", total - called, total, what,
               match || top ? fmt::format(" ({} shown)", selected.size()) : "");
  else
    fmt::print("{} of {} {} called, {} call{} in all{}\n", called, total, what,
               with_commas(calls), calls == 1 ? "" : "s",
               match || top ? fmt::format(" ({} shown)", selected.size()) : "");
  if (input.recorded && input.recording.left_out)
    fmt::print("incomplete: {} module(s) were left out of a full session\n",
               input.recording.left_out);
  return 0;
}

}  // namespace

int run_report(const std::vector<std::string>& args) { return guarded("report", report, args); }

}  // namespace tally::tool
