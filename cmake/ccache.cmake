# Uses ccache when it is installed: rebuilds on this 2-core machine are the bottleneck.
# Paths are hashed relative to the source tree (CCACHE_BASEDIR) and without the build
# folder (CCACHE_NOHASHDIR), so a fresh clone elsewhere — CI's — reuses the cache.
find_program(DROVER_CCACHE ccache)
if(DROVER_CCACHE)
  set(drover_ccache_launcher ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}
      CCACHE_NOHASHDIR=1 ${DROVER_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${drover_ccache_launcher})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${drover_ccache_launcher})
endif()
