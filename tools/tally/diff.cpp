// tally diff: per-function changes between two reports, as a CI gate.
#include <fmt/core.h>

#include <algorithm>  // std::sort
#include <map>        // std::map
#include <set>        // std::set
#include <tuple>      // std::tie

#include "args.h"
#include "commands.h"
#include "inputs.h"

namespace tally::tool {

const char* const diff_usage =
    "usage: tally diff OLD NEW [--threshold PCT]\n"
    "\n"
    "Compares two reports (tally record's, TALLY_REPORT's, or tally-profile files)\n"
    "function by function, and prints those whose counts differ, largest change\n"
    "first. Functions match by signature, and by file too where a signature names\n"
    "functions of several files ((anonymous namespace)::helper() in two files);\n"
    "lines are left out, so that code that moved still matches.\n"
    "\n"
    "options:\n"
    "  --threshold PCT  the rise, in percent, that a count may take (default: 0): a\n"
    "                   function whose count rose by more, or that was not called\n"
    "                   before and is now, fails the comparison\n"
    "\n"
    "exit status: 0 when no count rose by more than the threshold, 1 when one did,\n"
    "2 for bad arguments or an unreadable report.\n";

namespace {

struct Row {
  std::string signature;
  std::string file;  // where the signature alone does not tell functions apart
  std::uint64_t before = 0, after = 0;
  bool too_high = false;
};

// The files that define each signature, in either report.
std::map<std::string, std::set<std::string>> files_by_signature(const Report& report) {
  std::map<std::string, std::set<std::string>> files;
  for (const Entry& e : report.functions) files[e.signature].insert(e.file);
  return files;
}

std::string change_text(const Row& r) {
  if (r.before == 0) return "new";
  double pct = (static_cast<double>(r.after) - static_cast<double>(r.before)) * 100.0 /
               static_cast<double>(r.before);
  return fmt::format("{:+.1f}%", pct);
}

int diff(const std::vector<std::string>& arguments) {
  Args args(arguments, {"--threshold"}, {});
  if (args.positional().size() != 2 || args.has_rest())
    throw UsageError("give two reports: tally diff OLD NEW");
  double threshold =
      args.decimal("--threshold", 0, 1e12, "a percentage of 0 or more").value_or(0);
  Report old_report = read_report(args.positional()[0]);
  Report new_report = read_report(args.positional()[1]);

  auto old_files = files_by_signature(old_report);
  auto new_files = files_by_signature(new_report);
  auto ambiguous = [&](const std::string& signature) {
    return old_files[signature].size() > 1 || new_files[signature].size() > 1;
  };
  std::map<std::pair<std::string, std::string>, Row> by_function;
  auto row_of = [&](const Entry& e) -> Row& {
    std::string file = ambiguous(e.signature) ? e.file : std::string();
    Row& row = by_function[{e.signature, file}];
    row.signature = e.signature;
    row.file = file;
    return row;
  };
  for (const Entry& e : old_report.functions) row_of(e).before += e.count;
  for (const Entry& e : new_report.functions) row_of(e).after += e.count;
  std::vector<Row> rows;
  for (auto& [key, row] : by_function) {
    if (row.before == row.after) continue;
    row.too_high = row.after > row.before &&
                   (row.before == 0 || static_cast<double>(row.after) >
                                           static_cast<double>(row.before) *
                                               (1.0 + threshold / 100.0));
    rows.push_back(row);
  }
  auto size_of_change = [](const Row& r) {
    return r.after > r.before ? r.after - r.before : r.before - r.after;
  };
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    if (size_of_change(a) != size_of_change(b)) return size_of_change(a) > size_of_change(b);
    return std::tie(a.signature, a.file) < std::tie(b.signature, b.file);
  });
  auto function_text = [](const Row& r) {
    return r.file.empty() ? r.signature : r.signature + "  (" + r.file + ")";
  };

  std::size_t risen = 0;
  if (!rows.empty()) {
    using Align = Table::Align;
    Table table({{"before", Align::right}, {"after", Align::right}, {"change", Align::right},
                 {"function"}},
                /*marked=*/true);
    for (const Row& r : rows) {
      risen += r.too_high;
      table.add({with_commas(r.before), with_commas(r.after), change_text(r), function_text(r)},
                r.too_high);
    }
    fmt::print("{}\n", table.text());
  }
  fmt::print("{} of {} functions changed; {} rose by more than {}%{}\n", rows.size(),
             by_function.size(), risen, threshold, risen ? " (marked >)" : "");
  return risen ? 1 : 0;
}

}  // namespace

int run_diff(const std::vector<std::string>& args) { return guarded("diff", diff, args); }

}  // namespace tally::tool
