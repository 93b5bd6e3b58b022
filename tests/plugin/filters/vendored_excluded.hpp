// Stands for vendored code that a project leaves out with an EXCLUDE regex.
#pragma once

inline int vendored(int x) { return x * 3; }  // calls: none
