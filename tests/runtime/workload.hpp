// Code under test for profile_test.cpp; compiled with the plugin.
#pragma once

namespace work {

int leaf(int x);
int branch(int n);  // calls leaf() n times
int thrower(int x);  // calls leaf() once, then throws

}  // namespace work
