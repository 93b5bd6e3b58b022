// Compiled without the plugin: a static library.
#include "vendor/vendor.hpp"

namespace vendor {

static int tables = 0;

int lookup(int key) { return key * 3; }

Table::Table(int size) : size_(size) { ++tables; }

int Table::get(int key) const { return key % size_; }

int Table::made() { return tables; }

int operator+(const Table& table, int key) { return table.get(key) + 1; }

}  // namespace vendor
