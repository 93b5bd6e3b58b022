#ifndef EXAMPLE_DB_HPP_
#define EXAMPLE_DB_HPP_

#include <optional>
#include <string>

namespace example::db {

// A stand-in for a database: an in-memory key-value store.
void save(const std::string& key, const std::string& value);
std::optional<std::string> load(const std::string& key);
// Forgets `key`; true if it was stored.
bool erase(const std::string& key);

}  // namespace example::db

#endif  // EXAMPLE_DB_HPP_
