#pragma once

#include <string>

namespace greet {

std::string hello(const std::string& who);
inline std::string shout(const std::string& s) { return s + "!"; }
std::string hello_loudly(const std::string& who);  // calls shout() once

}  // namespace greet
