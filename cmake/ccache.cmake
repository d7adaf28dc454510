# Uses ccache when it is installed: rebuilds on this 2-core machine are the bottleneck.
find_program(DROVER_CCACHE ccache)
if(DROVER_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER ${DROVER_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${DROVER_CCACHE})
endif()
