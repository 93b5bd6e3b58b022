#include "extern_template.hpp"

template int twice<int>(int);
