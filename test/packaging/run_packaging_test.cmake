# Installs solkit into a scratch prefix, then configures, builds and runs a consumer project that
# finds it with find_package(solkit). Inputs: SOURCE_DIR, WORK_DIR, GENERATOR.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

# The library alone: no tests, tools or CUDA, as a consumer would build it.
run("configure solkit" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/solkit -G ${GENERATOR}
    -DSOLKIT_BUILD_TESTS=OFF -DSOLKIT_BUILD_TOOLS=OFF -DSOLKIT_BUILD_BENCHMARKS=OFF
    -DSOLKIT_BUILD_EXAMPLES=OFF -DSOLKIT_ENABLE_CUDA=OFF -DCMAKE_INSTALL_PREFIX=${prefix})
run("install solkit" ${CMAKE_COMMAND} --install ${WORK_DIR}/solkit)
if(NOT EXISTS ${prefix}/share/cmake/solkit/solkitConfigVersion.cmake)
  message(FATAL_ERROR "the install has no solkitConfigVersion.cmake")
endif()
run("configure consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/test/packaging/consumer
    -B ${WORK_DIR}/consumer -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix})
run("build consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer)
run("run consumer" ${WORK_DIR}/consumer/consumer)
if(NOT last_output MATCHES "gqa_paged_decode_h32_kv8_d128_ps64")
  message(FATAL_ERROR "the consumer printed: ${last_output}")
endif()
message(STATUS "an installed solkit was found and used by a consumer project")
