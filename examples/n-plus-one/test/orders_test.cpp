#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>  // EXPECT_NONFATAL_FAILURE
#include <gtest/gtest.h>
#include <tally/gtest.hpp>
#include <unistd.h>  // getpid

#include <filesystem>
#include <memory>
#include <string>

#include "shop/orders.hpp"

namespace {

// Each test gets a database file of its own, with the sample tables.
class Orders : public testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("tally-shop-" + std::to_string(getpid()) + ".db");
    db_ = std::make_unique<shop::db::Database>(path_.string());
    shop::db::create_sample(*db_);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }

  shop::db::Database& db() { return *db_; }

 private:
  std::filesystem::path path_;
  std::unique_ptr<shop::db::Database> db_;
};

TEST_F(Orders, LoadsEveryOrderWithItsCustomer) {
  std::vector<shop::Order> orders = shop::load_orders(db());
  ASSERT_EQ(orders.size(), 5u);
  EXPECT_EQ(orders[0].customer_name, "Ada");
  EXPECT_EQ(orders[3].customer_name, "Grace");
  std::vector<shop::Order> one_by_one = shop::load_orders_one_by_one(db());
  ASSERT_EQ(one_by_one.size(), 5u);
  EXPECT_EQ(one_by_one[4].customer_name, "Brian");
}

// SQLite is not instrumented: the calls into it are counted where the
// shop's code makes them (calls into, docs/calls-into.md).
TEST_F(Orders, AsksTheDatabaseAtMostTwice) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([&] { shop::load_orders(db()); });
  EXPECT_THAT(calls, tally::Calls("sqlite3_prepare_v2", testing::Le(2)));
  // 3 customers and 5 orders: one step per row, and one that ends each query.
  EXPECT_EQ(calls.count("sqlite3_step"), 10u) << calls;
}

// The same budget catches the N+1 version: 1 query for the orders, then 1
// for each of the 5 orders' customers.
TEST_F(Orders, TheBudgetCatchesOneQueryPerOrder) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([&] { shop::load_orders_one_by_one(db()); });
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(calls, tally::Calls("sqlite3_prepare_v2", testing::Le(2))),
      "which calls sqlite3_prepare_v2 6 times");
  EXPECT_EQ(calls.count("sqlite3_step"), 16u) << calls;
}

// Where the queries came from (CALLERS in CMakeLists.txt): the one-by-one
// loader asks for a customer at one place in its loop, once per order.
TEST_F(Orders, SaysWhereTheQueriesCameFrom) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([&] { shop::load_orders_one_by_one(db()); });
  EXPECT_THAT(calls, tally::Calls("shop::db::Database::query", 6)
                         .From("shop::load_orders_one_by_one"));
  std::vector<tally::CallSite> sites =
      calls.callers("shop::db::Database::query(const std::string &, const std::string &)");
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].count, 5u);
  EXPECT_EQ(sites[0].caller, "shop::load_orders_one_by_one(shop::db::Database &)");
  EXPECT_EQ(std::filesystem::path(sites[0].file).filename(), "orders.cpp");
  EXPECT_EQ(sites[0].line, 10u);
  // Every call of sqlite3_prepare_v2 is made in one place, Database::run.
  EXPECT_THAT(calls, tally::Calls("sqlite3_prepare_v2", 6).From("shop::db::Database::run"));
}

// What the failure prints, for scripts/demo and the README (disabled: it
// fails on purpose; --gtest_also_run_disabled_tests runs it).
TEST_F(Orders, DISABLED_ShowsTheNPlusOne) {
  auto calls = tally::profile([&] { shop::load_orders_one_by_one(db()); });
  EXPECT_THAT(calls, tally::Calls("sqlite3_prepare_v2", testing::Le(2)));
}

// The whole call profile of loading orders, kept as a budget in
// test/__tally__/Orders.StaysWithinItsCallBudget.json: any function called
// more often than the file says fails the test.  After a change that is
// meant to call more, TALLY_UPDATE_SNAPSHOTS=1 rewrites the file.
TEST_F(Orders, StaysWithinItsCallBudget) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([&] { shop::load_orders(db()); });
  EXPECT_THAT(calls, tally::AtMostSnapshot());
}

}  // namespace
