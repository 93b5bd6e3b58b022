// Profiles and reports as JSON: the exact text written, reading it back, and
// the errors for documents that are not what they claim.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "entries.hpp"
#include "tally/report.hpp"

namespace {

tally::Profile sample() {
  return tally::Profile({entry("work::leaf(int)", 10, 6, "/src/workload.cpp", 7),
                         entry("work::branch(int)", 12, 2, "/src/workload.cpp", 9)});
}

// The message of the std::runtime_error that reading `json` throws.
template <class Read>
std::string error_of(Read read, const std::string& json) {
  try {
    read(json);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}
std::string profile_error(const std::string& json) {
  return error_of([](const std::string& j) { tally::profile_from_json(j); }, json);
}
std::string report_error(const std::string& json) {
  return error_of([](const std::string& j) { tally::report_from_json(j); }, json);
}

TEST(ProfileJson, WritesEveryEntryMostCalledFirst) {
  EXPECT_EQ(tally::to_json(sample()),
            "{\n"
            "  \"format\": \"tally-profile\",\n"
            "  \"version\": 1,\n"
            "  \"total\": 8,\n"
            "  \"functions\": [\n"
            "    {\n"
            "      \"count\": 6,\n"
            "      \"signature\": \"work::leaf(int)\",\n"
            "      \"name\": \"work::leaf\",\n"
            "      \"file\": \"/src/workload.cpp\",\n"
            "      \"line\": 7\n"
            "    },\n"
            "    {\n"
            "      \"count\": 2,\n"
            "      \"signature\": \"work::branch(int)\",\n"
            "      \"name\": \"work::branch\",\n"
            "      \"file\": \"/src/workload.cpp\",\n"
            "      \"line\": 9\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(ProfileJson, EscapesWhatJsonMust) {
  tally::Profile p({entry("f(\"q\\\")", 1, 1, "/a\tb.cpp", 1)});
  std::string json = tally::to_json(p);
  EXPECT_NE(json.find("\"signature\": \"f(\\\"q\\\\\\\")\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"file\": \"/a\\tb.cpp\""), std::string::npos) << json;
  EXPECT_EQ(tally::profile_from_json(json), p);
}

TEST(ProfileJson, ReadsBackWhatItWrites) {
  EXPECT_EQ(tally::profile_from_json(tally::to_json(sample())), sample());
  EXPECT_EQ(tally::profile_from_json(tally::to_json(tally::Profile())), tally::Profile());
}

TEST(ProfileJson, SaysWhichCountsAreOfCallsInto) {
  tally::Profile p({calls_into("fopen(const char *, const char *)", 5, 2),
                    entry("load()", 4, 1, "/src/a.cpp", 9)});
  std::string json = tally::to_json(p);
  EXPECT_NE(json.find("\"line\": 258,\n      \"kind\": \"calls\"\n"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"kind\"", json.find("load()")), std::string::npos) << json;
  tally::Profile back = tally::profile_from_json(json);
  EXPECT_EQ(back, p);
  EXPECT_EQ(back.begin()->kind, tally::Entry::Kind::calls);
  EXPECT_EQ(std::next(back.begin())->kind, tally::Entry::Kind::entries);
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": "
                          "[{\"count\": 1, \"signature\": \"f()\", \"name\": \"f\", "
                          "\"kind\": \"exits\"}]}"),
            "functions[0]: \"kind\" must be \"entries\" or \"calls\"");
  EXPECT_EQ(tally::profile_from_json(
                "{\"format\": \"tally-profile\", \"version\": 1, \"functions\": "
                "[{\"count\": 1, \"signature\": \"f()\", \"name\": \"f\", \"kind\": \"entries\"}]}")
                .begin()
                ->kind,
            tally::Entry::Kind::entries);
}

TEST(ProfileJson, LeavesOutLocationsThatAreNotKnown) {
  tally::Profile p = tally::without_locations(sample());
  std::string json = tally::to_json(p);
  EXPECT_EQ(json.find("\"file\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"line\""), std::string::npos) << json;
  EXPECT_EQ(tally::profile_from_json(json), p);
}

TEST(ProfileJson, WithoutLocationsMergesOneSignature) {
  tally::Profile p({entry("(anonymous namespace)::f()", 23, 2, "/src/a.cpp", 3),
                    entry("(anonymous namespace)::f()", 23, 5, "/src/b.cpp", 3)});
  tally::Profile merged = tally::without_locations(p);
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged.begin()->count, 7u);
  EXPECT_EQ(merged.begin()->file, "");
}

TEST(ProfileJson, SaysWhatIsWrongWithADocument) {
  EXPECT_EQ(profile_error("{\"format\": "),
            "not valid JSON: parse error at line 1, column 12: syntax error while parsing "
            "value - unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(profile_error("[1]"), "not a tally-profile document: expected a JSON object");
  EXPECT_EQ(profile_error("{\"format\": \"tally-report\", \"version\": 1}"),
            "not a tally-profile document: \"format\" must be \"tally-profile\"");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\"}"), "\"version\" is missing");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 3, \"functions\": []}"),
            "tally-profile version 3 is not supported; this tally reads versions 1 to 2");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 0, \"functions\": []}"),
            "tally-profile version 0 is not supported; this tally reads versions 1 to 2");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1}"),
            "\"functions\" is missing");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": {}}"),
            "\"functions\" must be an array");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": "
                          "[{\"count\": -1, \"signature\": \"f()\", \"name\": \"f\"}]}"),
            "functions[0]: \"count\" must be an integer from 0 to 18446744073709551615");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": "
                          "[{\"count\": 1, \"signature\": \"f()\", \"name\": \"f\"}, "
                          "{\"count\": 1, \"name\": \"g\"}]}"),
            "functions[1]: \"signature\" is missing");
  EXPECT_EQ(profile_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": "
                          "[{\"count\": 1, \"signature\": \"f()\", \"name\": \"f\", "
                          "\"file\": \"/a.cpp\", \"line\": \"3\"}]}"),
            "functions[0]: \"line\" must be an integer from 0 to 4294967295");
}

tally::Report sample_report() {
  tally::Report report;
  tally::TestProfile passed{"Suite", "Passes", "passed", "/src/t.cpp", 10, sample()};
  tally::TestProfile failed{"Suite", "Fails", "failed", "/src/t.cpp", 20,
                            tally::Profile({entry("work::leaf(int)", 10, 1,
                                                  "/src/workload.cpp", 7)})};
  tally::TestProfile skipped{"Suite", "IsSkipped", "skipped", "/src/t.cpp", 30, {}};
  report.tests = {passed, failed, skipped};
  std::vector<tally::Entry> registered = {
      entry("work::branch(int)", 12, 0, "/src/workload.cpp", 9),
      entry("work::leaf(int)", 10, 0, "/src/workload.cpp", 7),
      entry("work::thrower(int)", 13, 0, "/src/workload.cpp", 15)};
  report.functions = tally::sum_of_tests(report.tests, registered);
  return report;
}

// A call of work::leaf in work::branch, at /src/workload.cpp:line:12.
tally::CallSite leaf_site(std::uint32_t line, std::uint64_t count) {
  tally::CallSite site;
  site.count = count;
  site.callee = "work::leaf(int)";
  site.callee_name = "work::leaf";
  site.caller = "work::branch(int)";
  site.caller_name = "work::branch";
  site.file = "/src/workload.cpp";
  site.line = line;
  site.column = 12;
  return site;
}

TEST(ProfileJson, KeepsCallSitesAsVersion2) {
  tally::CallSite site = leaf_site(10, 3);
  tally::Profile p({entry("work::leaf(int)", 10, 3, "/src/workload.cpp", 7)}, {site});
  std::string json = tally::to_json(p);
  EXPECT_NE(json.find("\"version\": 2,"), std::string::npos) << json;
  EXPECT_NE(json.find("  \"call_sites\": [\n"
                      "    {\n"
                      "      \"count\": 3,\n"
                      "      \"callee\": \"work::leaf(int)\",\n"
                      "      \"callee_name\": \"work::leaf\",\n"
                      "      \"caller\": \"work::branch(int)\",\n"
                      "      \"caller_name\": \"work::branch\",\n"
                      "      \"file\": \"/src/workload.cpp\",\n"
                      "      \"line\": 10,\n"
                      "      \"column\": 12\n"
                      "    }\n"
                      "  ]\n"),
            std::string::npos)
      << json;
  tally::Profile back = tally::profile_from_json(json);
  EXPECT_TRUE(back == p);
  ASSERT_EQ(back.call_sites().size(), 1u);
  EXPECT_EQ(back.count("work::leaf", tally::from("work::branch")), 3u);
  // Without call sites: version 1, as before.
  EXPECT_NE(tally::to_json(tally::Profile({entry("work::leaf(int)", 10, 3)})).find("\"version\": 1,"),
            std::string::npos);
}

TEST(ReportJson, SumsTheTestsAndKeepsUncalledFunctions) {
  std::vector<tally::Entry> functions = sample_report().functions;
  ASSERT_EQ(functions.size(), 3u);
  EXPECT_EQ(functions[0].signature, "work::branch(int)");
  EXPECT_EQ(functions[0].count, 2u);
  EXPECT_EQ(functions[1].signature, "work::leaf(int)");
  EXPECT_EQ(functions[1].count, 7u);
  EXPECT_EQ(functions[2].signature, "work::thrower(int)");
  EXPECT_EQ(functions[2].count, 0u);
}

TEST(ReportJson, ReadsBackWhatItWrites) {
  tally::Report report = sample_report();
  report.complete = false;
  tally::Report read = tally::report_from_json(tally::to_json(report));
  EXPECT_FALSE(read.complete);
  ASSERT_EQ(read.tests.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(read.tests[i].suite, report.tests[i].suite);
    EXPECT_EQ(read.tests[i].name, report.tests[i].name);
    EXPECT_EQ(read.tests[i].result, report.tests[i].result);
    EXPECT_EQ(read.tests[i].file, report.tests[i].file);
    EXPECT_EQ(read.tests[i].line, report.tests[i].line);
    EXPECT_EQ(read.tests[i].profile, report.tests[i].profile);
  }
  EXPECT_EQ(tally::Profile(read.functions), tally::Profile(report.functions));
  EXPECT_EQ(read.functions.size(), 3u);
}

// A report's call sites over its tests, written beside its functions and
// read back; a report without them reads as the sum of its tests'.
TEST(ReportJson, KeepsTheCallSitesOverAllTests) {
  std::vector<tally::CallSite> first = {leaf_site(10, 3), leaf_site(11, 2)};
  std::vector<tally::CallSite> second = {leaf_site(10, 4)};
  tally::Report report;
  report.tests = {
      {"S", "a", "passed", "/t.cpp", 1,
       tally::Profile({entry("work::leaf(int)", 10, 5, "/src/workload.cpp", 7)}, first)},
      {"S", "b", "passed", "/t.cpp", 2,
       tally::Profile({entry("work::leaf(int)", 10, 4, "/src/workload.cpp", 7)}, second)}};
  report.functions = tally::sum_of_tests(report.tests, {});
  report.call_sites = tally::call_sites_of_tests(report.tests);
  ASSERT_EQ(report.call_sites.size(), 2u);
  EXPECT_EQ(report.call_sites[0].line, 10u);
  EXPECT_EQ(report.call_sites[0].count, 7u);
  EXPECT_EQ(report.call_sites[1].line, 11u);
  EXPECT_EQ(report.call_sites[1].count, 2u);

  std::string json = tally::to_json(report);
  EXPECT_NE(json.find("\"version\": 2,"), std::string::npos);
  tally::Report back = tally::report_from_json(json);
  ASSERT_EQ(back.call_sites.size(), 2u);
  EXPECT_EQ(back.call_sites[0].count, 7u);
  EXPECT_EQ(back.call_sites[0].column, 12u);
  EXPECT_EQ(back.call_sites[1].count, 2u);

  // The same report without its call sites over all tests.
  report.call_sites.clear();
  back = tally::report_from_json(tally::to_json(report));
  ASSERT_EQ(back.call_sites.size(), 2u);
  EXPECT_EQ(back.call_sites[0].count, 7u);
}

TEST(ReportJson, WritesTheDocumentedShape) {
  tally::Report report;
  report.tests = {{"S", "T", "skipped", "/t.cpp", 4, {}}};
  EXPECT_EQ(tally::to_json(report),
            "{\n"
            "  \"format\": \"tally-report\",\n"
            "  \"version\": 1,\n"
            "  \"complete\": true,\n"
            "  \"tests\": [\n"
            "    {\n"
            "      \"suite\": \"S\",\n"
            "      \"name\": \"T\",\n"
            "      \"result\": \"skipped\",\n"
            "      \"file\": \"/t.cpp\",\n"
            "      \"line\": 4,\n"
            "      \"total\": 0,\n"
            "      \"functions\": []\n"
            "    }\n"
            "  ],\n"
            "  \"functions\": []\n"
            "}\n");
}

TEST(ReportJson, WritesAndReadsARecording) {
  tally::Report report;
  report.recorded = true;
  report.recording = {{"ctest", "-j2"}, 134, 5, 1};
  report.functions = {{"f()", "f", "/f.cpp", 2, 9}};
  std::string json = tally::to_json(report);
  EXPECT_EQ(json,
            "{\n"
            "  \"format\": \"tally-report\",\n"
            "  \"version\": 1,\n"
            "  \"complete\": true,\n"
            "  \"tests\": [],\n"
            "  \"recording\": {\n"
            "    \"command\": [\n"
            "      \"ctest\",\n"
            "      \"-j2\"\n"
            "    ],\n"
            "    \"exit_code\": 134,\n"
            "    \"processes\": 5,\n"
            "    \"left_out\": 1\n"
            "  },\n"
            "  \"functions\": [\n"
            "    {\n"
            "      \"count\": 9,\n"
            "      \"signature\": \"f()\",\n"
            "      \"name\": \"f\",\n"
            "      \"file\": \"/f.cpp\",\n"
            "      \"line\": 2\n"
            "    }\n"
            "  ]\n"
            "}\n");
  tally::Report read = tally::report_from_json(json);
  EXPECT_TRUE(read.recorded);
  EXPECT_EQ(read.recording.command, (std::vector<std::string>{"ctest", "-j2"}));
  EXPECT_EQ(read.recording.exit_code, 134);
  EXPECT_EQ(read.recording.processes, 5u);
  EXPECT_EQ(read.recording.left_out, 1u);
  EXPECT_FALSE(tally::report_from_json(tally::to_json(tally::Report{})).recorded);

  const std::string head = "{\"format\": \"tally-report\", \"version\": 1, \"complete\": true, "
                           "\"tests\": [], \"functions\": [], \"recording\": ";
  EXPECT_EQ(report_error(head + "[]}"), "recording: expected an object");
  EXPECT_EQ(report_error(head + "{\"command\": [1]}}"),
            "recording: \"command\"[0] must be a string");
  EXPECT_EQ(report_error(head + "{\"command\": [], \"exit_code\": 1000}}"),
            "recording: \"exit_code\" must be an integer from -255 to 255");
  EXPECT_EQ(report_error(head + "{\"command\": [], \"exit_code\": 0}}"),
            "recording: \"processes\" is missing");
}

TEST(ReportJson, ReadsAProfileAsAReportOfItsFunctions) {
  tally::Report report = sample_report();
  EXPECT_EQ(tally::Profile(tally::report_or_profile_from_json(tally::to_json(report)).functions),
            tally::Profile(report.functions));
  tally::Profile profile({{"f()", "f", "/f.cpp", 2, 9}, {"g()", "g", "", 0, 1}});
  tally::Report read = tally::report_or_profile_from_json(tally::to_json(profile));
  EXPECT_TRUE(read.tests.empty());
  EXPECT_FALSE(read.recorded);
  EXPECT_EQ(tally::Profile(read.functions), profile);
  for (const char* text : {"[]", "{\"format\": \"other\", \"version\": 1}", "{}"}) {
    try {
      tally::report_or_profile_from_json(text);
      ADD_FAILURE() << text;
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(),
                   "not a tally report: \"format\" must be \"tally-report\" or \"tally-profile\"");
    }
  }
}

TEST(ReportJson, SaysWhatIsWrongWithADocument) {
  EXPECT_EQ(report_error("{\"format\": \"tally-profile\", \"version\": 1, \"functions\": []}"),
            "not a tally-report document: \"format\" must be \"tally-report\"");
  EXPECT_EQ(report_error("{\"format\": \"tally-report\", \"version\": 1, \"tests\": []}"),
            "\"complete\" is missing");
  EXPECT_EQ(report_error("{\"format\": \"tally-report\", \"version\": 1, \"complete\": 1}"),
            "\"complete\" must be true or false");
  EXPECT_EQ(report_error("{\"format\": \"tally-report\", \"version\": 1, \"complete\": true, "
                         "\"tests\": [{\"suite\": \"S\", \"name\": \"T\", \"result\": \"ok\"}]}"),
            "tests[0]: \"result\" must be \"passed\", \"failed\" or \"skipped\", not \"ok\"");
  EXPECT_EQ(report_error("{\"format\": \"tally-report\", \"version\": 1, \"complete\": true, "
                         "\"tests\": [{\"suite\": \"S\", \"name\": \"T\", \"result\": "
                         "\"passed\", \"file\": \"/t.cpp\", \"line\": 1, \"functions\": "
                         "[{\"count\": 1}]}], \"functions\": []}"),
            "tests[0].functions[0]: \"signature\" is missing");
}

TEST(WriteReport, ReplacesTheFileWhole) {
  std::string path = ::testing::TempDir() + "tally_write_report_test.json";
  tally::Report started;
  started.complete = false;
  started.tests.resize(2);
  started.tests[0].result = started.tests[1].result = "passed";
  EXPECT_EQ(tally::write_report(path, started), "");
  tally::Report done;
  EXPECT_EQ(tally::write_report(path, done), "");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, tally::to_json(done));
  tally::Report read = tally::report_from_json(text);
  EXPECT_TRUE(read.complete);
  EXPECT_EQ(read.tests.size(), 0u);
  std::remove(path.c_str());
}

TEST(WriteReport, SaysWhyItCannotWrite) {
  EXPECT_EQ(tally::write_report("/nonexistent-dir/r.json", tally::Report()),
            "cannot write /nonexistent-dir/r.json: No such file or directory");
}

}  // namespace
