#include "shop/orders.hpp"

#include <map>

#include "shop/db.hpp"

namespace shop {

std::vector<Order> load_orders_one_by_one() {
  std::vector<Order> orders;
  for (const db::Row& row : db::query("SELECT id, customer FROM orders")) {
    auto customer = db::query("SELECT id, name FROM customers WHERE id = " + row.at("customer"));
    orders.push_back({row.at("id"), customer.empty() ? "" : customer.front().at("name")});
  }
  return orders;
}

std::vector<Order> load_orders() {
  std::map<std::string, std::string> names;
  for (const db::Row& row : db::query("SELECT id, name FROM customers"))
    names[row.at("id")] = row.at("name");
  std::vector<Order> orders;
  for (const db::Row& row : db::query("SELECT id, customer FROM orders"))
    orders.push_back({row.at("id"), names[row.at("customer")]});
  return orders;
}

}  // namespace shop
