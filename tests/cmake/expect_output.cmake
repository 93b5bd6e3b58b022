# cmake -DCOMMAND=<;-list> [-DEXIT=zero|nonzero] [-DMATCH=<;-list of regexes>]
#       [-DREJECT=<;-list of regexes>] [-DWORKING_DIRECTORY=<dir>] -P expect_output.cmake
#
# Runs COMMAND and checks its exit status and combined output: every MATCH
# regex must be found, no REJECT regex may be.
if (NOT WORKING_DIRECTORY)
  set(WORKING_DIRECTORY .)
endif()
execute_process(COMMAND ${COMMAND}
  WORKING_DIRECTORY "${WORKING_DIRECTORY}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
message("${out}")
set(failed "")
if (EXIT STREQUAL "zero" AND NOT status EQUAL 0)
  string(APPEND failed "exited with '${status}', expected 0\n")
elseif (EXIT STREQUAL "nonzero" AND (status EQUAL 0 OR NOT status MATCHES "^[0-9]+$"))
  string(APPEND failed "exited with '${status}', expected a non-zero exit code\n")
endif()
foreach(regex IN LISTS MATCH)
  if (NOT out MATCHES "${regex}")
    string(APPEND failed "output lacks '${regex}'\n")
  endif()
endforeach()
foreach(regex IN LISTS REJECT)
  if (out MATCHES "${regex}")
    string(APPEND failed "output has '${regex}'\n")
  endif()
endforeach()
if (failed)
  message(FATAL_ERROR "${failed}")
endif()
