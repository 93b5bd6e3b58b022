// What the subcommands read (report files and sessions), and how they
// print what they found.
#ifndef TALLY_TOOLS_INPUTS_H_
#define TALLY_TOOLS_INPUTS_H_

#include <string>  // std::string
#include <vector>  // std::vector

#include "table.h"  // runtime/src: the tables every command prints
#include "tally/report.hpp"

namespace tally::tool {

using detail::Table;

// A "tally-report" file (from TALLY_REPORT or tally record) or a
// "tally-profile" file (a snapshot, tally::to_json), as a report: a profile
// file gives the functions that it lists.  Throws std::runtime_error naming
// the file and what is wrong with it.
Report read_report(const std::string& path);

// The functions of a running (or stale) session.
Report read_session(const std::string& name);

// `text` quoted for CSV (RFC 4180) when it needs to be.
std::string csv_field(const std::string& text);

// 1234567 as "1,234,567".
std::string with_commas(std::uint64_t n);

}  // namespace tally::tool

#endif  // TALLY_TOOLS_INPUTS_H_
