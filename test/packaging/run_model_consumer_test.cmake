# Configures, builds and runs a consumer project that uses solkit_add_model through
# add_subdirectory. Inputs: SOURCE_DIR, WORK_DIR, GENERATOR.
file(REMOVE_RECURSE ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)
run("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/test/packaging/model_consumer -B ${WORK_DIR}
    -G ${GENERATOR} -DSOLKIT_SOURCE_DIR=${SOURCE_DIR} -DSOLKIT_BUILD_TOOLS=ON -DSOLKIT_ENABLE_CUDA=OFF
    -DCMAKE_BUILD_TYPE=Release)
run("build" ${CMAKE_COMMAND} --build ${WORK_DIR})
run("run" ${WORK_DIR}/model_consumer)
message(STATUS "${last_output}")
