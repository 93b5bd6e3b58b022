// Profiles and reports as JSON (docs/json-format.md), with nlohmann::json.
#include <fcntl.h>   // open
#include <unistd.h>  // write, close, getpid

#include <atomic>         // std::atomic
#include <cerrno>         // errno
#include <cstdio>         // std::rename, std::remove
#include <cstring>        // std::strerror
#include <nlohmann/json.hpp>
#include <stdexcept>      // std::runtime_error
#include <string>         // std::string
#include <utility>        // std::move

#include "entries.h"
#include "json.h"
#include "tally/detail/listeners.h"
#include "tally/report.hpp"

namespace tally {
namespace {

using Json = nlohmann::ordered_json;

Json entry_json(const Entry& e) {
  Json j;
  j["count"] = e.count;
  j["signature"] = e.signature;
  j["name"] = e.name;
  if (!e.file.empty()) {
    j["file"] = e.file;
    j["line"] = e.line;
  }
  if (e.kind == Entry::Kind::calls) j["kind"] = "calls";
  return j;
}

Json call_sites_json(const std::vector<CallSite>& sites) {
  Json list = Json::array();
  for (const CallSite& s : sites) {
    Json j;
    j["count"] = s.count;
    j["callee"] = s.callee;
    j["callee_name"] = s.callee_name;
    j["caller"] = s.caller;
    j["caller_name"] = s.caller_name;
    j["file"] = s.file;
    j["line"] = s.line;
    j["column"] = s.column;
    list.push_back(std::move(j));
  }
  return list;
}

template <class Entries>
Json entries_json(const Entries& entries) {
  Json list = Json::array();
  for (const Entry& e : entries) list.push_back(entry_json(e));
  return list;
}

// A document is written with the lowest version that has all it holds: 2
// where it holds call sites, else 1, which every tally reads.
Json header(const char* format, bool call_sites) {
  Json j;
  j["format"] = format;
  j["version"] = call_sites ? 2 : 1;
  return j;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::runtime_error(where.empty() ? what : where + ": " + what);
}

// Reads members of one JSON object, naming the object's place in errors.
class Object {
 public:
  Object(const Json& json, std::string where) : json_(json), where_(std::move(where)) {
    if (!json_.is_object()) fail(where_, "expected an object");
  }

  const Json* find(const char* key) const {
    auto it = json_.find(key);
    return it == json_.end() ? nullptr : &*it;
  }
  const Json& need(const char* key) const {
    const Json* value = find(key);
    if (!value) fail(where_, std::string("\"") + key + "\" is missing");
    return *value;
  }
  std::string string(const char* key) const {
    const Json& value = need(key);
    if (!value.is_string()) fail(where_, std::string("\"") + key + "\" must be a string");
    return value.get<std::string>();
  }
  std::uint64_t number(const char* key, std::uint64_t max) const {
    const Json& value = need(key);
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > max)
      fail(where_, std::string("\"") + key + "\" must be an integer from 0 to " +
                       std::to_string(max));
    return value.get<std::uint64_t>();
  }
  const Json& array(const char* key) const {
    const Json& value = need(key);
    if (!value.is_array()) fail(where_, std::string("\"") + key + "\" must be an array");
    return value;
  }
  const std::string& where() const { return where_; }

 private:
  const Json& json_;
  std::string where_;
};

Json parse(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 1, ..." without
    // the library's tag.
    std::string what = e.what();
    std::size_t tag = what.find("] ");
    fail("", "not valid JSON: " + (tag == std::string::npos ? what : what.substr(tag + 2)));
  }
}

// Checks "format" and "version" of a document.
Object document(const Json& json, const char* format) {
  if (!json.is_object())
    fail("", std::string("not a ") + format + " document: expected a JSON object");
  Object top(json, "");
  const Json* f = top.find("format");
  if (!f || !f->is_string() || f->get<std::string>() != format)
    fail("", std::string("not a ") + format + " document: \"format\" must be \"" + format + "\"");
  std::uint64_t version = top.number("version", 1u << 30);
  if (version < 1 || version > static_cast<std::uint64_t>(json_version))
    fail("", std::string(format) + " version " + std::to_string(version) +
                 " is not supported; this tally reads versions 1 to " +
                 std::to_string(json_version));
  return top;
}

std::vector<Entry> read_entries(const Object& parent, const char* key) {
  std::vector<Entry> entries;
  const Json& list = parent.array(key);
  std::string prefix = parent.where().empty() ? key : parent.where() + "." + key;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Object o(list[i], prefix + "[" + std::to_string(i) + "]");
    Entry e;
    e.count = o.number("count", ~std::uint64_t{0});
    e.signature = o.string("signature");
    e.name = o.string("name");
    if (o.find("file")) {
      e.file = o.string("file");
      e.line = static_cast<std::uint32_t>(o.number("line", 0xffffffffu));
    }
    if (o.find("kind")) {
      std::string kind = o.string("kind");
      if (kind == "calls")
        e.kind = Entry::Kind::calls;
      else if (kind != "entries")
        fail(o.where(), "\"kind\" must be \"entries\" or \"calls\"");
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

// The call sites under `key`, where there are (version 2).
std::vector<CallSite> read_call_sites(const Object& parent, const char* key) {
  std::vector<CallSite> sites;
  if (!parent.find(key)) return sites;
  const Json& list = parent.array(key);
  std::string prefix = parent.where().empty() ? key : parent.where() + "." + key;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Object o(list[i], prefix + "[" + std::to_string(i) + "]");
    CallSite s;
    s.count = o.number("count", ~std::uint64_t{0});
    s.callee = o.string("callee");
    s.callee_name = o.string("callee_name");
    s.caller = o.string("caller");
    s.caller_name = o.string("caller_name");
    s.file = o.string("file");
    s.line = static_cast<std::uint32_t>(o.number("line", 0xffffffffu));
    s.column = static_cast<std::uint32_t>(o.number("column", 0xffffffffu));
    sites.push_back(std::move(s));
  }
  return sites;
}

}  // namespace

namespace detail {

std::string profile_json(const std::vector<Entry>& entries,
                         const std::vector<CallSite>& call_sites) {
  Json j = header("tally-profile", !call_sites.empty());
  std::uint64_t total = 0;
  for (const Entry& e : entries) total += e.count;
  j["total"] = total;
  j["functions"] = entries_json(entries);
  if (!call_sites.empty()) j["call_sites"] = call_sites_json(call_sites);
  return j.dump(2) + '\n';
}

bool first_report_listener() {
  static std::atomic<bool> taken{false};
  return !taken.exchange(true);
}

bool first_snapshot_listener() {
  static std::atomic<bool> taken{false};
  return !taken.exchange(true);
}

int& unnamed_snapshots() {
  static int n = 0;
  return n;
}

std::string write_file(const std::string& path, std::string_view text) {
  std::string temporary = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string error = "cannot write " + path + ": " + std::strerror(errno);
      ::close(fd);
      std::remove(temporary.c_str());
      return error;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string error = "cannot write " + path + ": " + std::strerror(errno);
    std::remove(temporary.c_str());
    return error;
  }
  return {};
}

}  // namespace detail

std::string to_json(const Profile& profile) {
  return detail::profile_json(std::vector<Entry>(profile.begin(), profile.end()),
                              profile.call_sites());
}

Profile profile_from_json(std::string_view text) {
  Json json = parse(text);
  Object top = document(json, "tally-profile");
  return Profile(read_entries(top, "functions"), read_call_sites(top, "call_sites"));
}

std::string to_json(const Report& report) {
  bool call_sites = !report.call_sites.empty();
  for (const TestProfile& t : report.tests) call_sites = call_sites || !t.profile.call_sites().empty();
  Json j = header("tally-report", call_sites);
  j["complete"] = report.complete;
  Json tests = Json::array();
  for (const TestProfile& t : report.tests) {
    Json test;
    test["suite"] = t.suite;
    test["name"] = t.name;
    test["result"] = t.result;
    test["file"] = t.file;
    test["line"] = t.line;
    test["total"] = t.profile.total();
    test["functions"] = entries_json(t.profile);
    if (!t.profile.call_sites().empty())
      test["call_sites"] = call_sites_json(t.profile.call_sites());
    tests.push_back(std::move(test));
  }
  j["tests"] = std::move(tests);
  if (report.recorded) {
    Json r;
    r["command"] = report.recording.command;
    r["exit_code"] = report.recording.exit_code;
    r["processes"] = report.recording.processes;
    r["left_out"] = report.recording.left_out;
    j["recording"] = std::move(r);
  }
  j["functions"] = entries_json(report.functions);
  if (!report.call_sites.empty()) j["call_sites"] = call_sites_json(report.call_sites);
  return j.dump(2) + '\n';
}

namespace {

// The members of a "tally-report" document whose format and version are
// checked.
Report read_report(const Object& top) {
  Report report;
  const Json& complete = top.need("complete");
  if (!complete.is_boolean()) fail("", "\"complete\" must be true or false");
  report.complete = complete.get<bool>();
  const Json& tests = top.array("tests");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    Object o(tests[i], "tests[" + std::to_string(i) + "]");
    TestProfile t;
    t.suite = o.string("suite");
    t.name = o.string("name");
    t.result = o.string("result");
    if (t.result != "passed" && t.result != "failed" && t.result != "skipped")
      fail(o.where(), "\"result\" must be \"passed\", \"failed\" or \"skipped\", not \"" +
                          t.result + "\"");
    t.file = o.string("file");
    t.line = static_cast<std::uint32_t>(o.number("line", 0xffffffffu));
    t.profile = Profile(read_entries(o, "functions"), read_call_sites(o, "call_sites"));
    report.tests.push_back(std::move(t));
  }
  if (top.find("recording")) {
    Object r(top.need("recording"), "recording");
    report.recorded = true;
    const Json& command = r.array("command");
    for (std::size_t i = 0; i < command.size(); ++i) {
      if (!command[i].is_string())
        fail(r.where(), "\"command\"[" + std::to_string(i) + "] must be a string");
      report.recording.command.push_back(command[i].get<std::string>());
    }
    const Json& code = r.need("exit_code");
    if (!code.is_number_integer() || code.get<std::int64_t>() < -255 ||
        code.get<std::int64_t>() > 255)
      fail(r.where(), "\"exit_code\" must be an integer from -255 to 255");
    report.recording.exit_code = static_cast<int>(code.get<std::int64_t>());
    report.recording.processes = r.number("processes", UINT64_MAX);
    report.recording.left_out = r.number("left_out", UINT64_MAX);
  }
  report.functions = read_entries(top, "functions");
  // Written since there are call sites; before that, the tests' are all.
  report.call_sites = top.find("call_sites")
                          ? Profile({}, read_call_sites(top, "call_sites")).call_sites()
                          : call_sites_of_tests(report.tests);
  return report;
}

}  // namespace

Report report_from_json(std::string_view text) {
  Json json = parse(text);
  return read_report(document(json, "tally-report"));
}

Report report_or_profile_from_json(std::string_view text) {
  Json json = parse(text);
  const Json* format = json.is_object() && json.contains("format") ? &json["format"] : nullptr;
  if (format && *format == "tally-report") return read_report(document(json, "tally-report"));
  if (format && *format == "tally-profile") {
    Object top = document(json, "tally-profile");
    Profile profile(read_entries(top, "functions"), read_call_sites(top, "call_sites"));
    Report report;
    report.functions.assign(profile.begin(), profile.end());
    report.call_sites = profile.call_sites();
    return report;
  }
  fail("", "not a tally report: \"format\" must be \"tally-report\" or \"tally-profile\"");
}

std::vector<Entry> sum_of_tests(const std::vector<TestProfile>& tests,
                                const std::vector<Entry>& registered) {
  std::vector<Entry> all = registered;
  for (Entry& e : all) e.count = 0;
  for (const TestProfile& t : tests) all.insert(all.end(), t.profile.begin(), t.profile.end());
  return detail::one_per_function(std::move(all));
}

std::vector<CallSite> call_sites_of_tests(const std::vector<TestProfile>& tests) {
  std::vector<CallSite> all;
  for (const TestProfile& t : tests)
    all.insert(all.end(), t.profile.call_sites().begin(), t.profile.call_sites().end());
  return Profile({}, std::move(all)).call_sites();
}

std::string write_report(const std::string& path, const Report& report) {
  return detail::write_file(path, to_json(report));
}

}  // namespace tally
