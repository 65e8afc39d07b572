# Installs the build tree (BUILD_DIR) into a fresh prefix under WORK_DIR,
# checks the SONAME and links, then builds and runs the find_package
# project (shared and static) and the pkg-config Makefile against it.
set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
include(GNUInstallDirs)
set(libdir ${prefix}/${CMAKE_INSTALL_LIBDIR})
foreach(f ${libdir}/libsawmill.so ${libdir}/libsawmill.so.0 ${libdir}/libsawmill.a
    ${prefix}/include/sawmill.h ${prefix}/include/sawmill.hpp ${prefix}/bin/sawmill
    ${libdir}/cmake/sawmill/sawmillConfig.cmake ${libdir}/pkgconfig/sawmill.pc)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
if(NOT IS_SYMLINK ${libdir}/libsawmill.so.0 OR NOT IS_SYMLINK ${libdir}/libsawmill.so)
  message(FATAL_ERROR "libsawmill.so and libsawmill.so.0 must be links")
endif()
run(readelf -d ${libdir}/libsawmill.so.0)
if(NOT out MATCHES "Library soname: \\[libsawmill\\.so\\.0\\]")
  message(FATAL_ERROR "no SONAME libsawmill.so.0:\n${out}")
endif()

# find_package
run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/cmake -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake)
run(${WORK_DIR}/cmake/use_shared)
run(${WORK_DIR}/cmake/use_static)
run(readelf -d ${WORK_DIR}/cmake/use_shared)
if(NOT out MATCHES "Shared library: \\[libsawmill\\.so\\.0\\]")
  message(FATAL_ERROR "use_shared does not need libsawmill.so.0:\n${out}")
endif()

# pkg-config + make
run(${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${libdir}/pkgconfig
    make -C ${SOURCE_DIR} OUT=${WORK_DIR})
run(${WORK_DIR}/use_pkgconfig)
