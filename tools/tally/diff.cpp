// tally diff: per-function changes between two reports, as a CI gate.
#include <fmt/core.h>

#include <algorithm>  // std::sort
#include <map>        // std::map

#include "args.h"
#include "commands.h"
#include "inputs.h"

namespace tally::tool {

const char* const diff_usage =
    "usage: tally diff OLD NEW [--threshold PCT]\n"
    "\n"
    "Compares two reports (tally record's, TALLY_REPORT's, or tally-profile files)\n"
    "function by function, matching functions by signature, and prints those whose\n"
    "counts differ, largest change first.\n"
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
  std::uint64_t before = 0, after = 0;
  bool too_high = false;
};

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

  std::map<std::string, Row> by_signature;
  for (const Entry& e : old_report.functions) by_signature[e.signature].before += e.count;
  for (const Entry& e : new_report.functions) by_signature[e.signature].after += e.count;
  std::vector<Row> rows;
  for (auto& [signature, row] : by_signature) {
    if (row.before == row.after) continue;
    row.signature = signature;
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
    return a.signature < b.signature;
  });

  std::size_t risen = 0;
  if (!rows.empty()) {
    std::size_t w_before = 6, w_after = 5, w_change = 6;
    for (const Row& r : rows) {
      w_before = std::max(w_before, with_commas(r.before).size());
      w_after = std::max(w_after, with_commas(r.after).size());
      w_change = std::max(w_change, change_text(r).size());
    }
    fmt::print("  {:>{}}  {:>{}}  {:>{}}  {}\n", "before", w_before, "after", w_after,
               "change", w_change, "function");
    for (const Row& r : rows) {
      risen += r.too_high;
      fmt::print("{} {:>{}}  {:>{}}  {:>{}}  {}\n", r.too_high ? '>' : ' ',
                 with_commas(r.before), w_before, with_commas(r.after), w_after,
                 change_text(r), w_change, r.signature);
    }
    fmt::print("\n");
  }
  fmt::print("{} of {} functions changed; {} rose by more than {}%{}\n", rows.size(),
             by_signature.size(), risen, threshold, risen ? " (marked >)" : "");
  return risen ? 1 : 0;
}

}  // namespace

int run_diff(const std::vector<std::string>& args) { return guarded("diff", diff, args); }

}  // namespace tally::tool
