# cmake -DPREFIX=<tally prefix> -DCXX=<compiler> -DSOURCE=<file.cpp>
#       -DBUILD=<dir> [-DFLAGS=<more compiler flags>] -P pkg_config_build.cmake
#
# Compiles and links SOURCE with nothing but the flags pkg-config gives for
# tally, as a Makefile would, then runs it.
find_program(PKG_CONFIG NAMES pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/lib/pkgconfig")
foreach(what cflags libs)
  execute_process(COMMAND ${PKG_CONFIG} --${what} tally
    OUTPUT_VARIABLE ${what} OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE status)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "pkg-config --${what} tally failed")
  endif()
  separate_arguments(${what} UNIX_COMMAND "${${what}}")
endforeach()
# tally's headers come in as system headers.
list(FIND cflags "-isystem" at)
if (at EQUAL -1)
  message(FATAL_ERROR "pkg-config --cflags tally gives no -isystem: ${cflags}")
endif()
file(MAKE_DIRECTORY "${BUILD}")
foreach(step
    "${CXX};-std=c++17;-O2;-Wall;-Wextra;-Werror;${FLAGS};${cflags};-c;${SOURCE};-o;${BUILD}/main.o"
    "${CXX};${FLAGS};${BUILD}/main.o;${libs};-o;${BUILD}/main"
    "${BUILD}/main")
  execute_process(COMMAND ${step} RESULT_VARIABLE status)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${step}")
  endif()
endforeach()
