#include "inputs.h"

#include <cstdio>      // std::fprintf
#include <filesystem>  // std::filesystem
#include <fstream>    // std::ifstream
#include <sstream>    // std::ostringstream
#include <stdexcept>  // std::runtime_error

#include "tally/session.hpp"

namespace tally::tool {

Report read_report(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error))
    throw std::runtime_error("cannot read " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + ": no such file, or not readable");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  std::string json = text.str();
  try {
    // Only the format member tells which one it is; parse as a report first.
    return report_from_json(json);
  } catch (const std::runtime_error& as_report) {
    if (std::string(as_report.what()).find("not a tally-report document") == std::string::npos)
      throw std::runtime_error(path + ": " + as_report.what());
  }
  try {
    Profile profile = profile_from_json(json);
    Report report;
    report.functions.assign(profile.begin(), profile.end());
    return report;
  } catch (const std::runtime_error& as_profile) {
    std::string what = as_profile.what();
    if (what.find("not a tally-profile document") != std::string::npos)
      what = "not a tally report: \"format\" must be \"tally-report\" or \"tally-profile\"";
    throw std::runtime_error(path + ": " + what);
  }
}

Report read_session(const std::string& name) {
  Session session = Session::open(name);
  SessionStatus status = session.status();
  if (!status.owner_alive && !status.closed)
    std::fprintf(stderr,
                 "tally: session %s is stale: its tally record (pid %llu) is gone; these are "
                 "the counts its processes left\n",
                 name.c_str(), static_cast<unsigned long long>(status.owner_pid));
  Report report;
  report.complete = status.closed;
  report.recorded = true;
  report.recording.processes = status.processes;
  report.recording.left_out = status.refused;
  report.functions = session.functions();
  return report;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string location(const Entry& entry) {
  return entry.file.empty() ? std::string() : entry.file + ":" + std::to_string(entry.line);
}

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace tally::tool
