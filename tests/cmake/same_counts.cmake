# cmake -DTOOL=<tally> -DPLAIN=<command> -DOTHER=<command> -DWORK=<directory>
#       -P same_counts.cmake
#
# Runs both commands (lists: a program and its arguments) under
# `tally record` and with TALLY_DUMP_DIR, and fails unless the session
# reports (`tally report --format csv`) and the dumps' rows are identical:
# the two builds count the same functions the same number of times.
file(REMOVE_RECURSE "${WORK}")
foreach(which PLAIN OTHER)
  set(dir "${WORK}/${which}")
  file(MAKE_DIRECTORY "${dir}/dump")
  execute_process(COMMAND "${TOOL}" record -o "${dir}/session.json" -- ${${which}}
    RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE err)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "${which}: tally record failed (${status}):\n${err}")
  endif()
  execute_process(COMMAND "${TOOL}" report "${dir}/session.json" --format csv
    RESULT_VARIABLE status OUTPUT_VARIABLE report_${which} ERROR_VARIABLE err)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "${which}: tally report failed (${status}):\n${err}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env "TALLY_DUMP_DIR=${dir}/dump" ${${which}}
    RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE err)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "${which}: the program failed (${status}):\n${err}")
  endif()
  file(GLOB dumps "${dir}/dump/*.tsv")
  set(rows "")
  foreach(dump IN LISTS dumps)
    file(STRINGS "${dump}" lines)
    list(APPEND rows ${lines})
  endforeach()
  list(SORT rows)
  set(dump_${which} "${rows}")
endforeach()
if (NOT report_PLAIN STREQUAL report_OTHER)
  message(FATAL_ERROR "the session reports differ:\n--- ${PLAIN}\n${report_PLAIN}\n--- ${OTHER}\n${report_OTHER}")
endif()
if (NOT dump_PLAIN STREQUAL dump_OTHER)
  message(FATAL_ERROR "the dumps differ:\n--- ${PLAIN}\n${dump_PLAIN}\n--- ${OTHER}\n${dump_OTHER}")
endif()
list(LENGTH dump_PLAIN n)
message(STATUS "the same session report and dump (${n} rows)")
