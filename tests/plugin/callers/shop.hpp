// The functions of the callers test that other files define: in shop.cpp
// (instrumented, another translation unit) and in plain.cpp (left out of
// the filters: its calls are from elsewhere).
#ifndef TALLY_TEST_CALLERS_SHOP_HPP
#define TALLY_TEST_CALLERS_SHOP_HPP

namespace shop {

int query(int id);
int query_from_plain_code(int id);

// Inline, in a header that the filters count: one copy in each unit.
inline int cached(int id) {  // calls: 2 shop::cached(int)
  return query(id) + 1;  // site: 2 shop::query(int) <- shop::cached(int)
}

}  // namespace shop

#endif
