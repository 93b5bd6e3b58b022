#ifndef SHOP_DB_HPP_
#define SHOP_DB_HPP_

#include <string>
#include <vector>

struct sqlite3;

namespace shop::db {

// One row of a result, its columns as text.
using Row = std::vector<std::string>;

// A SQLite database file, open while the object lives.  Errors throw
// std::runtime_error with SQLite's message.
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs statements that return no rows.
  void execute(const std::string& sql);
  // The rows of one query, with `parameter` bound to its '?', if it has one.
  std::vector<Row> query(const std::string& sql);
  std::vector<Row> query(const std::string& sql, const std::string& parameter);

 private:
  std::vector<Row> run(const std::string& sql, const std::string* parameter);

  sqlite3* db_ = nullptr;
};

// Creates the example's tables: 5 orders of 3 customers.
void create_sample(Database& db);

}  // namespace shop::db

#endif  // SHOP_DB_HPP_
