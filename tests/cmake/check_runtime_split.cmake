# cmake -DLIBTALLY=<libtally.so> -DPROGRAM=<a program linked with
#       Tally::runtime alone> -P check_runtime_split.cmake
#
# The in-process runtime holds none of the code of tools and test listeners
# (JSON, snapshots, making and removing sessions, sizes), exports only
# tally's own symbols, and a program linked with it alone loads nothing of
# libtally-reports.
cmake_policy(VERSION 3.20)
find_program(NM NAMES nm llvm-nm REQUIRED)
find_program(READELF NAMES readelf llvm-readelf REQUIRED)
execute_process(COMMAND ${NM} -DC --defined-only "${LIBTALLY}"
  OUTPUT_VARIABLE exported RESULT_VARIABLE status)
if (NOT status EQUAL 0)
  message(FATAL_ERROR "nm ${LIBTALLY} failed")
endif()
set(failed "")
foreach(tool_only to_json from_json check_snapshot write_file "Session::" parse_size
        sum_of_tests first_report_listener nlohmann)
  string(FIND "${exported}" "${tool_only}" at)
  if (NOT at EQUAL -1)
    string(APPEND failed "libtally exports ${tool_only}\n")
  endif()
endforeach()
string(REPLACE "\n" ";" lines "${exported}")
foreach(line IN LISTS lines)
  if (line STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "^[0-9a-f]+ [A-Za-z] " "" symbol "${line}")
  if (NOT symbol MATCHES "^(tally::|__tally_|pthread_create$)")
    string(APPEND failed "libtally exports ${symbol}\n")
  endif()
endforeach()
execute_process(COMMAND ${READELF} -d "${PROGRAM}" OUTPUT_VARIABLE dynamic)
if (NOT dynamic MATCHES "libtally\\.so")
  string(APPEND failed "${PROGRAM} does not load libtally\n")
endif()
if (dynamic MATCHES "libtally-reports")
  string(APPEND failed "${PROGRAM} loads libtally-reports\n")
endif()
if (failed)
  message(FATAL_ERROR "${failed}")
endif()
message(STATUS "tally: the runtime holds only what runs in instrumented processes")
