// Snapshots: a profile's signatures and counts kept in a file beside the
// test, compared on every run and rewritten on request.
#include <algorithm>  // std::sort, std::max
#include <cerrno>     // errno
#include <cstdio>     // std::fprintf
#include <cstring>    // std::strerror
#include <filesystem>  // std::filesystem::create_directories
#include <fstream>    // std::ifstream
#include <iterator>   // std::istreambuf_iterator
#include <optional>   // std::optional
#include <sstream>    // std::ostringstream
#include <stdexcept>  // std::runtime_error
#include <string>     // std::string
#include <utility>    // std::move
#include <vector>     // std::vector

#include "json.h"
#include "tally/report.hpp"

namespace tally {
namespace {

// The file's text; nullopt when it does not exist.  Throws for other errors.
std::optional<std::string> read_text(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What a snapshot file holds for `profile`, sorted by signature so that a
// changed count changes one line.
std::string snapshot_text(const Profile& profile) {
  std::vector<Entry> entries(profile.begin(), profile.end());
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.signature < b.signature; });
  return detail::profile_json(entries);
}

// One line per changed function, rises first:
//   + example::http::get(const std::string &)  4 -> 6
std::string diff_lines(std::vector<Change> diffs) {
  // changes() sorts by size; put rises first and keep that order within.
  std::vector<Change> sorted;
  for (bool rise : {true, false})
    for (const Change& c : diffs)
      if ((c.after > c.before) == rise) sorted.push_back(c);
  diffs = std::move(sorted);
  std::size_t width = 0;
  for (const Change& c : diffs) width = std::max(width, c.signature.size());
  std::ostringstream out;
  for (const Change& c : diffs)
    out << (c.after > c.before ? "+ " : "- ") << c.signature
        << std::string(width - c.signature.size(), ' ') << "  " << c.before << " -> "
        << c.after << '\n';
  return out.str();
}

std::string functions(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " function" : " functions");
}

}  // namespace

Profile without_locations(const Profile& profile) {
  std::vector<Entry> entries(profile.begin(), profile.end());
  for (Entry& e : entries) {
    e.file.clear();
    e.line = 0;
  }
  return Profile(std::move(entries));
}

SnapshotResult check_snapshot(const Profile& profile, const SnapshotRequest& request) {
  SnapshotResult result;
  const std::string& path = request.path;
  Profile current = without_locations(profile);
  std::string ignored_update =
      request.update && request.ci
          ? "\n(TALLY_UPDATE_SNAPSHOTS is ignored: snapshots are never written when CI is "
            "set)"
          : "";

  std::optional<std::string> text;
  std::optional<Profile> stored;
  std::string unreadable;
  try {
    text = read_text(path);
    if (text) stored = without_locations(profile_from_json(*text));
  } catch (const std::runtime_error& e) {
    unreadable = e.what();
  }
  if (!unreadable.empty() && !text) {  // the file exists and cannot be read
    result.explanation = "whose snapshot cannot be read: " + unreadable;
    return result;
  }

  if (request.update && !request.ci) {
    std::string wanted = snapshot_text(current);
    if (text && *text == wanted) {
      result.passed = true;
      result.explanation = "which matches the snapshot " + path;
      return result;
    }
    std::error_code ignored;  // detail::write_file reports a missing directory
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
    std::string error = detail::write_file(path, wanted);
    if (!error.empty()) {
      result.explanation = "whose snapshot was not written: " + error;
      return result;
    }
    result.passed = true;
    result.wrote = true;
    if (!stored) {
      result.explanation = "which is now the snapshot " + path + (text ? " (rewritten)" : "");
    } else {
      std::vector<Change> diffs = changes(*stored, current);
      result.explanation = "which updated the snapshot " + path + " in " +
                           functions(diffs.size()) + ":\n" + diff_lines(diffs);
    }
    return result;
  }

  if (!text) {
    if (request.ci)
      result.explanation = "which has no snapshot: " + path +
                           " does not exist, and snapshots are never written when CI is set; "
                           "create it on your machine with\n  " +
                           request.update_command + "\nand commit it" + ignored_update;
    else
      result.explanation = "which has no snapshot: " + path + " does not exist; create it with\n  " +
                           request.update_command;
    return result;
  }
  if (!stored) {
    result.explanation = "whose snapshot " + path + " is not a tally snapshot: " + unreadable +
                         "; write it anew with\n  " + request.update_command +
                         ignored_update;
    return result;
  }

  std::vector<Change> diffs = changes(*stored, current);
  std::size_t rises = 0;
  for (const Change& c : diffs)
    if (c.after > c.before) ++rises;
  if (request.rule == SnapshotRule::same) {
    result.passed = diffs.empty();
    if (result.passed) {
      result.explanation = "which matches the snapshot " + path;
      return result;
    }
    result.explanation = "which differs from the snapshot " + path + " in " +
                         functions(diffs.size()) + ":\n" + diff_lines(diffs) +
                         "to accept these counts, run\n  " + request.update_command + ignored_update;
    return result;
  }
  result.passed = rises == 0;
  if (result.passed) {
    result.explanation = "which stays within the budget of " + path;
    if (!diffs.empty())
      result.explanation += "; " + functions(diffs.size()) + " ran fewer times:\n" +
                            diff_lines(diffs) + "to lower the budget, run\n  " +
                            request.update_command;
    return result;
  }
  result.explanation = "which exceeds the budget of " + path + " in " + functions(rises) +
                       ":\n" + diff_lines(diffs) + "if the rise is intended, run\n  " +
                       request.update_command + ignored_update;
  return result;
}

}  // namespace tally
