#include "greeter.hpp"

namespace lib {

int from_library(int x) { return shared_inline(x) + shared_template(x); }  // calls: 2 lib::from_library(int)

std::string greet(const std::string& who) { return "hello " + who; }  // calls: 1 lib::greet(const std::string &)

}  // namespace lib
