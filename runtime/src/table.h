// Aligned text tables: every table tally prints (a Profile, and the tally
// tool's report, names, top and diff) is laid out by this one writer.
#ifndef TALLY_RUNTIME_TABLE_H_
#define TALLY_RUNTIME_TABLE_H_

#include <cstddef>  // std::size_t
#include <string>   // std::string
#include <vector>   // std::vector

namespace tally::detail {

// Columns are two spaces apart, each as wide as its widest cell or heading
// (or min_width, if wider).  No line ends in spaces (the last column is
// never padded).  A marked table starts every line with two characters,
// "> " on the rows marked and "  " on the others and the headings.
class Table {
 public:
  enum class Align { left, right };
  struct Column {
    std::string heading;
    Align align = Align::left;
    std::size_t min_width = 0;
  };

  explicit Table(std::vector<Column> columns, bool marked = false);

  // One row: a cell per column (missing ones are empty).
  void add(std::vector<std::string> cells, bool mark = false);

  std::size_t rows() const { return rows_.size(); }

  // The headings, then each row, one line each, each ending in '\n'.
  std::string text() const;

 private:
  struct Row {
    std::vector<std::string> cells;
    bool mark;
  };
  std::vector<Column> columns_;
  bool marked_;
  std::vector<Row> rows_;
};

}  // namespace tally::detail

#endif  // TALLY_RUNTIME_TABLE_H_
