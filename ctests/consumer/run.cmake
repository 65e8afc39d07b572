# Configures, builds and runs ctests/consumer. SAWMILL_TARGET_DIR is the
# cargo target directory of the enclosing build, so cargo finds the library
# up to date instead of building it again.
foreach(step
    "${CMAKE_COMMAND};-S;${CONSUMER_SOURCE};-B;${CONSUMER_BINARY};-DSAWMILL_SOURCE_DIR=${SAWMILL_SOURCE_DIR};-DSAWMILL_TARGET_DIR=${SAWMILL_TARGET_DIR};-DCMAKE_BUILD_TYPE=Release"
    "${CMAKE_COMMAND};--build;${CONSUMER_BINARY}"
    "${CONSUMER_BINARY}/consumer")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${step}")
  endif()
endforeach()
