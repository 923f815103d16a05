# Compiles SOURCE with COMPILER and passes only when the compiler rejects it with diagnostics that
# match the regular expression on the snippet's first line (`// expect: <regex>`).
# Inputs: COMPILER, LANGUAGE (c++ or cu), SOURCE, INCLUDES (list).
file(STRINGS ${SOURCE} first_line LIMIT_COUNT 1)
if(NOT first_line MATCHES "^// expect: (.+)$")
  message(FATAL_ERROR "${SOURCE}: the first line must be `// expect: <regex>`")
endif()
set(expected "${CMAKE_MATCH_1}")

set(include_flags)
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_flags -I${dir})
endforeach()

if(LANGUAGE STREQUAL "cu")
  set(command ${COMPILER} -std=c++20 -x cu -c ${SOURCE} -o /dev/null ${include_flags})
else()
  set(command ${COMPILER} -std=c++20 -fsyntax-only ${SOURCE} ${include_flags})
endif()
execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(diagnostics "${out}${err}")

if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must be rejected (expected: ${expected})")
endif()
if(NOT diagnostics MATCHES "${expected}")
  message(FATAL_ERROR "${SOURCE} was rejected, but no diagnostic matches `${expected}`:\n${diagnostics}")
endif()
message(STATUS "rejected as expected: ${expected}")
