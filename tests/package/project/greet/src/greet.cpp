#include "greet/greet.hpp"

namespace greet {

std::string hello(const std::string& who) { return "hello " + who; }
std::string hello_loudly(const std::string& who) { return shout(hello(who)); }

}  // namespace greet
