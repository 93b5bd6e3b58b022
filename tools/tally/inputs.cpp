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
  try {
    return report_or_profile_from_json(text.str());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
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
  report.call_sites = session.call_sites();
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

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace tally::tool
