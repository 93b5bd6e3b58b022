// tally top: a live view of a running session.
#include <fmt/core.h>
#include <unistd.h>  // isatty

#include <algorithm>      // std::sort
#include <chrono>         // std::chrono
#include <map>            // std::map
#include <thread>         // std::this_thread

#include "args.h"
#include "commands.h"
#include "inputs.h"
#include "tally/session.hpp"

namespace tally::tool {

const char* const top_usage =
    "usage: tally top --session NAME [--interval SECONDS] [--top N] [--count K]\n"
    "\n"
    "Shows the functions of a running session (tally record --session NAME -- ...)\n"
    "with their calls per second over the last interval and their calls so far, most\n"
    "called per second first; in a terminal, it redraws in place. Ends when the\n"
    "session's recording ends, or at once for a stale session.\n"
    "\n"
    "options:\n"
    "  --session NAME      the session to watch (required)\n"
    "  --interval SECONDS  time between refreshes (default: 1)\n"
    "  --top N             rows to show (default: 20)\n"
    "  --count K           stop after K refreshes (default: until the session ends)\n";

namespace {


int top(const std::vector<std::string>& arguments) {
  Args args(arguments, {"--session", "--interval", "--top", "--count"}, {});
  if (!args.positional().empty() || args.has_rest())
    throw UsageError("unexpected argument; tally top takes options only");
  std::optional<std::string> name = args.value("--session");
  if (!name) throw UsageError("--session NAME is required");
  double interval =
      args.decimal("--interval", 0.01, 3600, "seconds, from 0.01 to 3600").value_or(1.0);
  std::size_t rows_wanted = args.number("--top", 1).value_or(20);
  std::optional<std::uint64_t> count = args.number("--count", 1);

  Session session = Session::open(*name);
  bool terminal = isatty(STDOUT_FILENO);
  std::map<Entry, std::uint64_t, FunctionOrder> previous;  // one per function
  auto previous_time = std::chrono::steady_clock::now();
  bool first = true;
  for (std::uint64_t refresh = 0; !count || refresh < *count; ++refresh) {
    if (!first)
      std::this_thread::sleep_for(std::chrono::duration<double>(interval));
    SessionStatus status = session.status();
    std::vector<Entry> functions = session.functions();
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - previous_time).count();
    previous_time = now;

    struct Row {
      const Entry* entry;
      double rate;
    };
    std::vector<Row> rows;
    std::uint64_t calls = 0, called = 0;
    for (const Entry& e : functions) {
      calls += e.count;
      called += e.count != 0;
      std::uint64_t& before = previous[e];
      double rate = first || seconds <= 0 ? 0.0 : static_cast<double>(e.count - before) / seconds;
      before = e.count;
      if (e.count) rows.push_back({&e, rate});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      if (a.rate != b.rate) return a.rate > b.rate;
      if (a.entry->count != b.entry->count) return a.entry->count > b.entry->count;
      return a.entry->signature < b.entry->signature;
    });
    if (rows.size() > rows_wanted) rows.resize(rows_wanted);

    std::string screen = fmt::format(
        "session {}: {} process{}, {} of {} functions called, {} call{}{}\n\n", *name,
        status.processes, status.processes == 1 ? "" : "es", called, functions.size(),
        with_commas(calls), calls == 1 ? "" : "s",
        status.closed ? " (ended)" : !status.owner_alive ? " (stale: its tally record is gone)" : "");
    // Fixed widths, wide enough for most, so that the columns stay put
    // from one screen to the next.
    Table table({{"calls/s", Table::Align::right, 12}, {"calls", Table::Align::right, 14},
                 {"function"}});
    for (const Row& r : rows)
      table.add({first ? std::string("-") : with_commas(static_cast<std::uint64_t>(r.rate + 0.5)),
                 with_commas(r.entry->count), r.entry->signature});
    screen += table.text();
    fmt::print("{}{}", terminal ? "\x1b[H\x1b[2J" : (first ? "" : "\n"), screen);
    std::fflush(stdout);
    first = false;
    if (status.closed || !status.owner_alive) break;
  }
  return 0;
}

}  // namespace

int run_top(const std::vector<std::string>& args) { return guarded("top", top, args); }

}  // namespace tally::tool
