# cmake -DPLAIN=<program> -DINSTRUMENTED=<program> -P compare_outputs.cmake
#
# Runs both programs and fails unless their exit codes, standard output and
# standard error are identical.
foreach(which PLAIN INSTRUMENTED)
  execute_process(COMMAND ${${which}}
    RESULT_VARIABLE status_${which} OUTPUT_VARIABLE out_${which} ERROR_VARIABLE err_${which})
endforeach()
set(failed "")
foreach(what status out err)
  if (NOT "${${what}_PLAIN}" STREQUAL "${${what}_INSTRUMENTED}")
    string(APPEND failed "${what} differs:\n--- plain\n${${what}_PLAIN}\n--- instrumented\n${${what}_INSTRUMENTED}\n")
  endif()
endforeach()
if (failed)
  message(FATAL_ERROR "${failed}")
endif()
string(LENGTH "${out_PLAIN}" bytes)
message(STATUS "same exit code (${status_PLAIN}) and output (${bytes} bytes)")
