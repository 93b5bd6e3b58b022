#include "example/db.hpp"

#include <map>

namespace example::db {
namespace {

std::map<std::string, std::string>& table() {
  static std::map<std::string, std::string> rows;
  return rows;
}

}  // namespace

void save(const std::string& key, const std::string& value) { table()[key] = value; }

std::optional<std::string> load(const std::string& key) {
  auto it = table().find(key);
  if (it == table().end()) return std::nullopt;
  return it->second;
}

bool erase(const std::string& key) { return table().erase(key) != 0; }

}  // namespace example::db
