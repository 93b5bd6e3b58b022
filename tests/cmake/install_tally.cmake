# cmake -DSOURCE=<tally source> -DBUILD=<dir> -DPREFIX=<dir> -DCXX=<compiler>
#       -P install_tally.cmake
#
# Configures, builds and installs tally's runtime and package (no tests, no
# examples) with the given C++ compiler.
file(REMOVE_RECURSE "${BUILD}" "${PREFIX}")
foreach(step
    "-S;${SOURCE};-B;${BUILD};-DCMAKE_CXX_COMPILER=${CXX};-DTALLY_BUILD_TESTS=OFF;-DTALLY_BUILD_EXAMPLES=OFF;-DTALLY_INSTALL=ON"
    "--build;${BUILD}"
    "--install;${BUILD};--prefix;${PREFIX}")
  execute_process(COMMAND ${CMAKE_COMMAND} ${step} RESULT_VARIABLE status)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "cmake ${step} failed: ${status}")
  endif()
endforeach()
