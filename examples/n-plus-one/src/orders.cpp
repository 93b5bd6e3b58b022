#include "shop/orders.hpp"

#include <map>

namespace shop {

std::vector<Order> load_orders_one_by_one(db::Database& db) {
  std::vector<Order> orders;
  for (const db::Row& order : db.query("SELECT id, customer FROM orders ORDER BY id")) {
    auto customer = db.query("SELECT name FROM customers WHERE id = ?", order[1]);
    orders.push_back({order[0], customer.empty() ? "" : customer.front()[0]});
  }
  return orders;
}

std::vector<Order> load_orders(db::Database& db) {
  std::map<std::string, std::string> names;
  for (const db::Row& customer : db.query("SELECT id, name FROM customers"))
    names[customer[0]] = customer[1];
  std::vector<Order> orders;
  for (const db::Row& order : db.query("SELECT id, customer FROM orders ORDER BY id"))
    orders.push_back({order[0], names[order[1]]});
  return orders;
}

}  // namespace shop
