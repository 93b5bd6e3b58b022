// Left out of the filters: its calls of shop::query are from elsewhere.
#include "shop.hpp"

namespace shop {

int query_from_plain_code(int id) { return query(id) + query(id + 1); }

}  // namespace shop
