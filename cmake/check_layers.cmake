cmake_minimum_required(VERSION 3.25)
# Fails the build when a source or header includes a layer it must not depend on.
# Run as: cmake -DSOURCE_DIR=... -DSTAMP=... -P check_layers.cmake
#
# The layers (see README, Architecture), each with the layers it may include; dependencies point down only:
#   cli  -> app, term, core          (the executable; the only code that links CLI11)
#   app  -> store, gen, jobs, core   (use cases, authorization)
#   jobs -> store, core              (the queue lives in the store; the worker pool runs it)
#   store, gen, term -> core
# The per-layer static libraries make a wrong *call* fail to link; this check makes a wrong *include* fail too,
# even of a header-only type, and names the line.
set(allowed_core core)
set(allowed_term term core)
set(allowed_store store core)
set(allowed_gen gen core)
set(allowed_jobs jobs store core)
set(allowed_app app store gen jobs core)
set(allowed_cli cli app term core)

set(violations "")
foreach(layer core term store gen jobs app cli)
  file(GLOB_RECURSE files "${SOURCE_DIR}/src/${layer}/*.cpp" "${SOURCE_DIR}/src/${layer}/*.hpp"
                          "${SOURCE_DIR}/include/blogen/${layer}/*.hpp")
  foreach(file ${files})
    file(STRINGS "${file}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*<blogen/[a-z_]+/")
    foreach(line ${includes})
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*<blogen/([a-z_]+)/.*" "\\1" target "${line}")
      if(NOT target IN_LIST allowed_${layer})
        file(RELATIVE_PATH shown "${SOURCE_DIR}" "${file}")
        string(REPLACE ";" ", " shown_allowed "${allowed_${layer}}")
        string(APPEND violations "  ${shown}: the ${layer} layer may not include blogen/${target}/ "
                                 "(it may include: ${shown_allowed})\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "Layer check failed: dependencies must point down (see cmake/check_layers.cmake)\n${violations}")
endif()
file(TOUCH "${STAMP}")
