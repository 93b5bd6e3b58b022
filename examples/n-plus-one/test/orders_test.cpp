#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>  // EXPECT_NONFATAL_FAILURE
#include <gtest/gtest.h>
#include <tally/gtest.hpp>

#include "shop/orders.hpp"

namespace {

TEST(Orders, LoadsEveryOrderWithItsCustomer) {
  std::vector<shop::Order> orders = shop::load_orders();
  ASSERT_EQ(orders.size(), 5u);
  EXPECT_EQ(orders[0].customer_name, "Ada");
  EXPECT_EQ(orders[3].customer_name, "Grace");
  EXPECT_EQ(shop::load_orders_one_by_one().size(), 5u);
}

TEST(Orders, AsksTheDatabaseAtMostTwice) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([] { shop::load_orders(); });
  EXPECT_THAT(calls, tally::Calls("shop::db::query", testing::Le(2)));
}

// The same budget catches the N+1 version: 1 query for the orders, then 1
// for each of the 5 orders' customers.
TEST(Orders, TheBudgetCatchesOneQueryPerOrder) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([] { shop::load_orders_one_by_one(); });
  EXPECT_NONFATAL_FAILURE(
      EXPECT_THAT(calls, tally::Calls("shop::db::query", testing::Le(2))),
      "which calls shop::db::query 6 times");
}

// The whole call profile of loading orders, kept as a budget in
// test/__tally__/Orders.StaysWithinItsCallBudget.json: any function called
// more often than the file says fails the test.  After a change that is
// meant to call more, TALLY_UPDATE_SNAPSHOTS=1 rewrites the file.
TEST(Orders, StaysWithinItsCallBudget) {
  TALLY_REQUIRE_INSTRUMENTATION();
  auto calls = tally::profile([] { shop::load_orders(); });
  EXPECT_THAT(calls, tally::AtMostSnapshot());
}

}  // namespace
