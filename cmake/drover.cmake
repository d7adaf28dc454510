# Helpers that give every folder the same shape: one library, one test binary beside it.

# drover_library(NAME SOURCES ... DEPS ...)
function(drover_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# drover_test(NAME SOURCES ... DEPS ...): one GoogleTest binary (with rapidcheck) per folder.
# Each binary is one ctest entry; a binary is cheaper to link than one per file.
function(drover_test name)
  if(NOT DROVER_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main
                        rapidcheck rapidcheck_gtest)
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  # Each binary also writes a JSON report, from which scripts/test lists skipped tests.
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "RC_PARAMS=max_success=300;GTEST_OUTPUT=json:${PROJECT_BINARY_DIR}/gtest-results/${name}.json")
endfunction()

# drover_fuzzer(NAME SOURCE DEPS ...): a libFuzzer target, built only with DROVER_FUZZ.
function(drover_fuzzer name source)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()

# drover_folder(NAME DEPS ...): the library NAME from every .cc in this folder but the
# *_test.cc files, and the test binary NAME_test from those. A new file needs no CMake edit.
function(drover_folder name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS;TEST_DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  set(lib_sources)
  set(test_sources)
  foreach(f ${all_sources})
    if(f MATCHES "_test\\.cc$")
      list(APPEND test_sources ${f})
    else()
      list(APPEND lib_sources ${f})
    endif()
  endforeach()
  if(lib_sources)
    drover_library(${name} SOURCES ${lib_sources} DEPS ${ARG_DEPS} PRIVATE_DEPS ${ARG_PRIVATE_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_link_libraries(${name} INTERFACE ${ARG_DEPS})
  endif()
  if(test_sources)
    drover_test(${name}_test SOURCES ${test_sources} DEPS ${name} ${ARG_TEST_DEPS})
  endif()
endfunction()
