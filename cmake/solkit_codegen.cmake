# solkit_add_model(<target> MODEL <slug> TP <n> EP <n>)
# solkit_add_model(<target> CONFIG <config.json> NAME <name> TP <n> EP <n>)
#
# Runs solkit-codegen at build time to write the translation units that instantiate a model's
# plan (every definition one GPU runs at that TP and EP, with its name checked at compile time)
# and the table from definition name to launcher, into the build folder, and builds them into
# the static library <target>. Include "<id>.hpp" (id: the model's slug with non-identifier
# characters as '_', then _tp<n>_ep<n>) and call solkit::generated::<id>() for the table.
function(solkit_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "MODEL;CONFIG;NAME;TP;EP" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "solkit_add_model(${target}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TP OR NOT arg_EP)
    message(FATAL_ERROR "solkit_add_model(${target}): TP and EP are required")
  endif()
  if(arg_MODEL AND arg_CONFIG)
    message(FATAL_ERROR "solkit_add_model(${target}): give MODEL or CONFIG, not both")
  endif()
  if(arg_MODEL)
    set(slug ${arg_MODEL})
    set(source_args --model ${arg_MODEL})
    set(depends)
  elseif(arg_CONFIG)
    if(NOT arg_NAME)
      message(FATAL_ERROR "solkit_add_model(${target}): CONFIG needs NAME")
    endif()
    get_filename_component(config "${arg_CONFIG}" ABSOLUTE)
    set(slug ${arg_NAME})
    set(source_args --config ${config} --name ${arg_NAME})
    set(depends ${config})
  else()
    message(FATAL_ERROR "solkit_add_model(${target}): MODEL or CONFIG is required")
  endif()

  # The same identifier rule as codegen's plan_identifier; TP and EP as plain integers ("08" -> 8).
  math(EXPR arg_TP "${arg_TP}")
  math(EXPR arg_EP "${arg_EP}")
  string(MAKE_C_IDENTIFIER "${slug}" id)
  set(id "${id}_tp${arg_TP}_ep${arg_EP}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_generated)
  add_custom_command(
    OUTPUT ${out}/${id}.hpp ${out}/${id}.cu
    COMMAND solkit::solkit-codegen instantiate ${source_args} --tp ${arg_TP} --ep ${arg_EP} --out ${out}
    DEPENDS solkit::solkit-codegen ${depends}
    COMMENT "solkit: instantiating ${slug} at TP=${arg_TP}, EP=${arg_EP}"
    VERBATIM)
  add_library(${target} STATIC ${out}/${id}.cu)
  # Without CUDA enabled in the calling project the unit compiles as C++ (no kernel needs nvcc yet).
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if(NOT "CUDA" IN_LIST languages)
    set_source_files_properties(${out}/${id}.cu PROPERTIES LANGUAGE CXX)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-x c++>)
  endif()
  target_include_directories(${target} PUBLIC ${out})
  target_link_libraries(${target} PUBLIC solkit::solkit)
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
