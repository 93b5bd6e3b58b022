#include <gtest/gtest.h>
#include <tally/gtest.hpp>

#include <iostream>

#include "example/downloader.hpp"

namespace {

const std::vector<std::string> kUrls = {
    "https://example.com/1", "https://example.com/2", "https://example.com/3",
    "https://example.com/4", "https://example.com/5", "https://example.com/6"};

TEST(Download, FetchesAtMostLimitUrls) {
  TALLY_REQUIRE_INSTRUMENTATION();

  auto calls = tally::profile([&] { example::download(kUrls, 4); });

  EXPECT_EQ(calls.count("example::http::get"), 4u) << ::testing::PrintToString(calls);
  EXPECT_EQ(calls.count("example::download"), 1u);
  std::cout << calls;
}

TEST(Download, NeverTouchesTheDatabase) {
  TALLY_REQUIRE_INSTRUMENTATION();

  auto calls = tally::profile([&] { example::download(kUrls, 4); });

  for (const tally::Entry& entry : calls)
    EXPECT_NE(entry.name.rfind("example::db::", 0), 0u)
        << entry.signature << " ran " << entry.count << " times";
  EXPECT_EQ(calls.count("example::db::save"), 0u);
  EXPECT_EQ(calls.count("example::db::load"), 0u);
}

TEST(Download, FetchesEveryUrlWhenTheLimitIsLarger) {
  TALLY_REQUIRE_INSTRUMENTATION();

  auto calls = tally::profile([&] { example::download(kUrls, 100); });

  EXPECT_EQ(calls.count("example::http::get(const std::string&)"), 6u);
}

TEST(Download, FetchesEachUrlOnceThroughTheCache) {
  TALLY_REQUIRE_INSTRUMENTATION();
  const std::vector<std::string> urls = {"https://example.com/a", "https://example.com/b"};

  auto calls = tally::profile([&] {
    example::download_cached(urls, 2);
    example::download_cached(urls, 2);
  });

  EXPECT_EQ(calls.count("example::http::get"), 2u);
  EXPECT_EQ(calls.count("example::db::load"), 4u);
  EXPECT_EQ(calls.count("example::db::save"), 2u);
}

}  // namespace
