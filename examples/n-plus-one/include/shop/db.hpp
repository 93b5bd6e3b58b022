#ifndef SHOP_DB_HPP_
#define SHOP_DB_HPP_

#include <map>
#include <string>
#include <vector>

namespace shop::db {

using Row = std::map<std::string, std::string>;

// A stand-in for a SQL database: answers the few queries the repository
// sends, from tables in memory.
std::vector<Row> query(const std::string& sql);

}  // namespace shop::db

#endif  // SHOP_DB_HPP_
