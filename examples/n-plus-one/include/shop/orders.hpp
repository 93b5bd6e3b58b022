#ifndef SHOP_ORDERS_HPP_
#define SHOP_ORDERS_HPP_

#include <string>
#include <vector>

#include "shop/db.hpp"

namespace shop {

struct Order {
  std::string id;
  std::string customer_name;
};

// One query for the orders, then one per order for its customer: N+1.
std::vector<Order> load_orders_one_by_one(db::Database& db);

// One query for the orders, one for all their customers.
std::vector<Order> load_orders(db::Database& db);

}  // namespace shop

#endif  // SHOP_ORDERS_HPP_
