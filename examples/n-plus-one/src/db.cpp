#include "shop/db.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace shop::db {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Database::Database(const std::string& path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + path + ": " + message);
  }
}

Database::~Database() { sqlite3_close(db_); }

void Database::execute(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    fail(db_, "cannot run '" + sql + "'");
}

std::vector<Row> Database::query(const std::string& sql) { return run(sql, nullptr); }

std::vector<Row> Database::query(const std::string& sql, const std::string& parameter) {
  return run(sql, &parameter);
}

std::vector<Row> Database::run(const std::string& sql, const std::string* parameter) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
    fail(db_, "cannot prepare '" + sql + "'");
  if (parameter &&
      sqlite3_bind_text(statement, 1, parameter->c_str(), -1, SQLITE_TRANSIENT) != SQLITE_OK) {
    sqlite3_finalize(statement);
    fail(db_, "cannot bind the parameter of '" + sql + "'");
  }
  std::vector<Row> rows;
  int status;
  while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
    Row row;
    for (int i = 0, n = sqlite3_column_count(statement); i < n; ++i) {
      const unsigned char* text = sqlite3_column_text(statement, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  if (status != SQLITE_DONE) fail(db_, "cannot run '" + sql + "'");
  return rows;
}

void create_sample(Database& db) {
  db.execute(
      "DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers;"
      "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL);"
      "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL REFERENCES customers);"
      "INSERT INTO customers VALUES ('c1', 'Ada'), ('c2', 'Brian'), ('c3', 'Grace');"
      "INSERT INTO orders VALUES ('o1', 'c1'), ('o2', 'c2'), ('o3', 'c1'), ('o4', 'c3'),"
      "                          ('o5', 'c2');");
}

}  // namespace shop::db
