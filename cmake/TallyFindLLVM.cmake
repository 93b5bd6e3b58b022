# Looks for what the tally plugin (and `tally names`) need: the compiler is
# Clang, with the LLVM and Clang development files of its own major version
# (a plugin only runs inside the Clang it was compiled against).  Included
# by the top-level CMakeLists.txt; never fails.  Sets
#   TALLY_CLANG_VERSION_MAJOR  the compiler's major version
#   TALLY_LLVM_PROBLEM         empty when everything was found, else what is
#                              missing and how to get it
# and, when found, LLVM_* (LLVMConfig.cmake), TALLY_CLANG_INCLUDE_DIR,
# TALLY_CLANG_CPP_LIBRARY and TALLY_LLVM_LIBRARY.
include_guard(GLOBAL)

set(TALLY_LLVM_PROBLEM "")
string(REGEX MATCH "^[0-9]+" TALLY_CLANG_VERSION_MAJOR "${CMAKE_CXX_COMPILER_VERSION}")
set(_tally_major "${TALLY_CLANG_VERSION_MAJOR}")

if (NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  string(CONCAT TALLY_LLVM_PROBLEM
    "the plugin runs only in Clang, and the C++ compiler is "
    "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}; configure with "
    "-DCMAKE_CXX_COMPILER=clang++-19 (or clang++-14)")
  return()
endif()

get_filename_component(_tally_clang_real "${CMAKE_CXX_COMPILER}" REALPATH)
get_filename_component(_tally_clang_prefix "${_tally_clang_real}/../.." ABSOLUTE)
find_package(LLVM CONFIG QUIET
  HINTS "${_tally_clang_prefix}/lib/cmake/llvm"
        "/usr/lib/llvm-${_tally_major}/lib/cmake/llvm")
if (NOT LLVM_FOUND OR NOT LLVM_VERSION_MAJOR EQUAL _tally_major)
  if (LLVM_FOUND)
    set(_tally_found "LLVM ${LLVM_PACKAGE_VERSION}")
  else()
    set(_tally_found "none")
  endif()
  string(CONCAT TALLY_LLVM_PROBLEM
    "the plugin needs the LLVM and Clang development files of the compiler "
    "(Clang ${_tally_major}), and found ${_tally_found}; install "
    "llvm-${_tally_major}-dev, libclang-${_tally_major}-dev and "
    "libclang-cpp${_tally_major}-dev, or pass -DLLVM_DIR=<directory of LLVMConfig.cmake>")
  return()
endif()

find_path(TALLY_CLANG_INCLUDE_DIR clang/Frontend/FrontendPluginRegistry.h
  HINTS ${LLVM_INCLUDE_DIRS} NO_DEFAULT_PATH)
if (NOT TALLY_CLANG_INCLUDE_DIR)
  string(CONCAT TALLY_LLVM_PROBLEM
    "the Clang ${LLVM_VERSION_MAJOR} headers are missing from ${LLVM_INCLUDE_DIRS}; "
    "install libclang-${LLVM_VERSION_MAJOR}-dev")
  return()
endif()

# `tally names` links the Clang and LLVM shared libraries.
find_library(TALLY_CLANG_CPP_LIBRARY clang-cpp HINTS ${LLVM_LIBRARY_DIRS} NO_DEFAULT_PATH)
find_library(TALLY_LLVM_LIBRARY NAMES LLVM LLVM-${LLVM_VERSION_MAJOR}
  HINTS ${LLVM_LIBRARY_DIRS} NO_DEFAULT_PATH)
if (NOT TALLY_CLANG_CPP_LIBRARY OR NOT TALLY_LLVM_LIBRARY)
  string(CONCAT TALLY_LLVM_PROBLEM
    "'tally names' needs the Clang ${LLVM_VERSION_MAJOR} C++ library "
    "(libclang-cpp.so) and libLLVM.so, which are not in ${LLVM_LIBRARY_DIRS}; "
    "install libclang-cpp${LLVM_VERSION_MAJOR}-dev and llvm-${LLVM_VERSION_MAJOR}-dev")
endif()
