// The one writer of tally's text tables (runtime/src/table.h), behind a
// Profile's table and every table the tally tool prints.
#include <gtest/gtest.h>

#include "table.h"

namespace {

using tally::detail::Table;
using Align = Table::Align;

TEST(Table, AlignsEachColumnToItsWidestCellAndLeavesTheLastUnpadded) {
  Table table({{"n", Align::right}, {"name"}, {"where"}});
  table.add({"7", "a::b()", "a.cpp:1"});
  table.add({"1234", "c()", "c.cpp:22"});
  EXPECT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.text(),
            "   n  name    where\n"
            "   7  a::b()  a.cpp:1\n"
            "1234  c()     c.cpp:22\n");
}

TEST(Table, KeepsAColumnAtLeastItsMinimumWidth) {
  Table table({{"rate", Align::right, 6}, {"function"}});
  table.add({"12", "f()"});
  EXPECT_EQ(table.text(),
            "  rate  function\n"
            "    12  f()\n");
}

TEST(Table, MarksRowsInAMarginOfTwo) {
  Table table({{"count", Align::right}, {"function"}}, /*marked=*/true);
  table.add({"1", "f()"}, true);
  table.add({"22", "g()"});
  EXPECT_EQ(table.text(),
            "  count  function\n"
            ">     1  f()\n"
            "     22  g()\n");
}

TEST(Table, FillsMissingCellsWithNothingAndPrintsHeadingsAlone) {
  Table table({{"a"}, {"b", Align::right}, {"c"}});
  EXPECT_EQ(table.text(), "a  b  c\n");
  table.add({"long"});
  EXPECT_EQ(table.text(),
            "a     b  c\n"
            "long\n");
}

}  // namespace
