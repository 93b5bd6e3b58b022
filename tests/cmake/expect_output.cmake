# cmake -DCOMMAND=<;-list> [-DEXIT=zero|nonzero] [-DMATCH=<;-list of regexes>]
#       [-DREJECT=<;-list of regexes>] [-DWORKING_DIRECTORY=<dir>]
#       [-DCLEAN=<dir>] -P expect_output.cmake
#
# Removes CLEAN, runs COMMAND and checks its exit status and combined output:
# every MATCH regex must be found, no REJECT regex may be.  Spaces in the
# output are normalised first (see below).
if (CLEAN)
  file(REMOVE_RECURSE "${CLEAN}")
endif()
if (NOT WORKING_DIRECTORY)
  set(WORKING_DIRECTORY .)
endif()
execute_process(COMMAND ${COMMAND}
  WORKING_DIRECTORY "${WORKING_DIRECTORY}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
message("${out}")
# Messages may be wrapped anywhere: match against the output, and with the
# regexes, with every run of white space made one space.
string(REGEX REPLACE "[ \t\r\n]+" " " out "${out}")
set(failed "")
if (EXIT STREQUAL "zero" AND NOT status EQUAL 0)
  string(APPEND failed "exited with '${status}', expected 0\n")
elseif (EXIT STREQUAL "nonzero" AND (status EQUAL 0 OR NOT status MATCHES "^[0-9]+$"))
  string(APPEND failed "exited with '${status}', expected a non-zero exit code\n")
endif()
foreach(regex IN LISTS MATCH)
  string(REGEX REPLACE "[ \t\r\n]+" " " regex "${regex}")
  if (NOT out MATCHES "${regex}")
    string(APPEND failed "output lacks '${regex}'\n")
  endif()
endforeach()
foreach(regex IN LISTS REJECT)
  string(REGEX REPLACE "[ \t\r\n]+" " " regex "${regex}")
  if (out MATCHES "${regex}")
    string(APPEND failed "output has '${regex}'\n")
  endif()
endforeach()
if (failed)
  message(FATAL_ERROR "${failed}")
endif()
