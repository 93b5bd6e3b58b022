#include "table.h"

#include <algorithm>  // std::max
#include <utility>    // std::move

namespace tally::detail {

Table::Table(std::vector<Column> columns, bool marked)
    : columns_(std::move(columns)), marked_(marked) {}

void Table::add(std::vector<std::string> cells, bool mark) {
  cells.resize(columns_.size());
  rows_.push_back({std::move(cells), mark});
}

std::string Table::text() const {
  std::vector<std::size_t> widths;
  for (const Column& c : columns_) widths.push_back(std::max(c.min_width, c.heading.size()));
  for (const Row& row : rows_)
    for (std::size_t i = 0; i < columns_.size(); ++i)
      widths[i] = std::max(widths[i], row.cells[i].size());

  std::string out;
  auto line = [&](auto cell_of, bool mark) {
    std::size_t start = out.size();
    if (marked_) out += mark ? "> " : "  ";
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const std::string& cell = cell_of(i);
      std::size_t padding = widths[i] - cell.size();
      bool last = i + 1 == columns_.size();
      if (i) out += "  ";
      if (columns_[i].align == Align::right) out.append(padding, ' ');
      out += cell;
      if (columns_[i].align == Align::left && !last) out.append(padding, ' ');
    }
    // Empty cells at the end leave no spaces behind.
    std::size_t kept = out.find_last_not_of(' ');
    out.resize(kept == std::string::npos || kept < start ? start : kept + 1);
    out += '\n';
  };
  line([&](std::size_t i) -> const std::string& { return columns_[i].heading; }, false);
  for (const Row& row : rows_)
    line([&](std::size_t i) -> const std::string& { return row.cells[i]; }, row.mark);
  return out;
}

}  // namespace tally::detail
