#define LOCAL_VALUE 20
#include "vendor/local.hpp"

int second_unit() { return local_value() + local_value() + local_value(); }  // calls: 1 second_unit()
