// tally report: prints the functions of a report file or a running session.
#include <fmt/core.h>

#include <algorithm>  // std::max
#include <optional>   // std::optional
#include <regex>      // std::regex
#include <stdexcept>  // std::runtime_error

#include "args.h"
#include "commands.h"
#include "entries.h"  // runtime/src: detail::location
#include "inputs.h"

namespace tally::tool {

const char* const report_usage =
    "usage: tally report [FILE | --session NAME] [--format table|json|csv] [--top N]\n"
    "                    [--match REGEX] [--uncalled] [--calls-into | --callers FUNCTION]\n"
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
    "                   instrumented code counted at the call sites (CALLS_INTO)\n"
    "  --callers FUNCTION\n"
    "                   instead, where the calls of FUNCTION (a name, as tally::matches\n"
    "                   takes it) came from: one row per call site, most calls first,\n"
    "                   and one for the calls from elsewhere; needs code built with\n"
    "                   callers (TALLY_CALLERS=ON). csv: calls,caller,callee,file,line,\n"
    "                   column; json: a tally-profile document of FUNCTION and its\n"
    "                   call sites\n";

namespace {

// tally report --callers FUNCTION: the call sites of the functions that
// `query` matches.
int callers(const Report& input, const std::string& source, const std::string& query,
            const std::string& format, std::optional<std::uint64_t> top) {
  Profile all(input.functions, input.call_sites);
  std::vector<Entry> functions;
  for (const Entry& e : all)
    if (e.count && matches(e, query)) functions.push_back(e);
  if (functions.empty()) {
    bool known = false;
    for (const Entry& e : input.functions) known = known || matches(e, query);
    throw std::runtime_error(
        known ? fmt::format("no call of \"{}\" in {}, so no call sites", query, source)
              : fmt::format("no function of {} is \"{}\"; tally report --match lists them",
                            source, query));
  }
  if (input.call_sites.empty())
    throw std::runtime_error(
        source + " has no call sites: its code was built without callers; build it with "
                 "-DTALLY_CALLERS=ON (or tally_instrument(<target> CALLERS)), run it again, "
                 "and see docs/callers.md");
  std::vector<CallSite> rows = all.callers(query);
  std::uint64_t calls = all.count(query), elsewhere = 0;
  std::size_t sites = rows.size();
  if (!rows.empty() && rows.back().caller.empty()) {
    elsewhere = rows.back().count;
    --sites;
  }
  if (top && rows.size() > *top) rows.resize(*top);

  if (format == "json") {
    std::vector<CallSite> shown;
    for (const CallSite& s : rows)
      if (!s.caller.empty()) shown.push_back(s);
    fmt::print("{}", to_json(Profile(functions, shown)));
    return 0;
  }
  if (format == "csv") {
    fmt::print("calls,caller,callee,file,line,column\n");
    for (const CallSite& s : rows) {
      bool known = !s.caller.empty();
      fmt::print("{},{},{},{},{},{}\n", s.count, csv_field(s.caller),
                 csv_field(known ? s.callee : functions.size() == 1 ? functions[0].signature : ""),
                 csv_field(s.file), known ? std::to_string(s.line) : "",
                 known ? std::to_string(s.column) : "");
    }
    return 0;
  }
  // The callee in a column of its own where the query names several.
  bool several = functions.size() > 1;
  std::vector<Table::Column> columns = {{"calls", Table::Align::right}};
  if (several) columns.push_back({"function"});
  columns.push_back({"called from"});
  columns.push_back({"at"});
  Table table(columns);
  for (const CallSite& s : rows) {
    std::vector<std::string> cells = {with_commas(s.count)};
    if (several) cells.push_back(s.caller.empty() ? "" : s.callee);
    cells.push_back(s.caller.empty() ? "(elsewhere)" : s.caller);
    cells.push_back(s.caller.empty() ? ""
                                     : fmt::format("{}:{}:{}", s.file, s.line, s.column));
    table.add(cells);
  }
  fmt::print("{}\n", table.text());
  std::string what =
      several ? fmt::format("the {} functions that \"{}\" names", functions.size(), query)
              : functions[0].signature;
  fmt::print("{} call{} of {}: {} at {} call site{} in instrumented code, {} from elsewhere{}\n",
             with_commas(calls), calls == 1 ? "" : "s", what, with_commas(calls - elsewhere),
             sites, sites == 1 ? "" : "s", with_commas(elsewhere),
             rows.size() < sites + (elsewhere != 0) ? fmt::format(" ({} shown)", rows.size())
                                                     : "");
  if (input.recorded && input.recording.left_out)
    fmt::print("incomplete: {} module(s) were left out of a full session\n",
               input.recording.left_out);
  return 0;
}

int report(const std::vector<std::string>& arguments) {
  Args args(arguments, {"--session", "--format", "--top", "--match", "--callers"},
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
  std::optional<std::string> callers_of = args.value("--callers");
  if (callers_of) {
    if (callers_of->empty()) throw UsageError("--callers needs a function's name");
    const char* other = match ? "--match" : uncalled ? "--uncalled" : calls_into ? "--calls-into" : nullptr;
    if (other)
      throw UsageError(std::string("--callers lists the call sites of one function: it does "
                                   "not go with ") +
                       other);
  }
  Report input = session ? read_session(*session) : read_report(source);
  if (callers_of) return callers(input, source, *callers_of, format, top);

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
