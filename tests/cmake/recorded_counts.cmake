# cmake -DTOOL=<tally> -DPROGRAM=<annotated test program;its sources> -DWORK=<directory>
#       -P recorded_counts.cmake
#
# Runs an annotated plugin test program (tests/plugin/harness.cpp) under
# `tally record` and with TALLY_DUMP_DIR, then has it check its annotations
# against the session's report and against the dump (TALLY_TEST_READ): both
# must hold the exact counts and call sites that the program counts itself.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/dump")
execute_process(COMMAND "${TOOL}" record -o "${WORK}/session.json" -- ${PROGRAM}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if (NOT status EQUAL 0)
  message(FATAL_ERROR "tally record failed (${status}):\n${out}${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env "TALLY_DUMP_DIR=${WORK}/dump" ${PROGRAM}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if (NOT status EQUAL 0)
  message(FATAL_ERROR "the program failed (${status}):\n${out}${err}")
endif()
foreach(recorded "${WORK}/session.json" "${WORK}/dump")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env "TALLY_TEST_READ=${recorded}" ${PROGRAM}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if (NOT status EQUAL 0)
    message(FATAL_ERROR "the annotations do not hold for ${recorded} (${status}):\n${out}${err}")
  endif()
  message(STATUS "${recorded}: ${out}")
endforeach()
