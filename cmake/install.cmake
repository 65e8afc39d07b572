# `cmake --install`: the versioned shared library with its links, the static
# library, the headers, the `sawmill` command, a CMake package
# (find_package(sawmill CONFIG) -> sawmill::sawmill, sawmill::static) and
# sawmill.pc. Included by the top CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SAWMILL_REAL_NAME libsawmill.so.${PROJECT_VERSION})
install(FILES ${SAWMILL_SHARED_LIB} DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RENAME ${SAWMILL_REAL_NAME}
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# libsawmill.so.0 -> libsawmill.so.X.Y.Z (the loader), libsawmill.so ->
# libsawmill.so.0 (the linker).
install(CODE "
  set(dir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}\")
  execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink ${SAWMILL_REAL_NAME} \${dir}/${SAWMILL_SONAME})
  execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink ${SAWMILL_SONAME} \${dir}/libsawmill.so)
  message(STATUS \"Installing: \${dir}/${SAWMILL_SONAME} and libsawmill.so (links)\")")
install(FILES ${SAWMILL_STATIC_LIB} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/sawmill.h include/sawmill.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(PROGRAMS ${SAWMILL_LIB_DIR}/sawmill DESTINATION ${CMAKE_INSTALL_BINDIR})

set(SAWMILL_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sawmill)
list(JOIN SAWMILL_STATIC_DEPS " " SAWMILL_STATIC_DEPS_STR)
configure_package_config_file(cmake/sawmillConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/sawmillConfig.cmake
  INSTALL_DESTINATION ${SAWMILL_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/sawmillConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/sawmillConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/sawmillConfigVersion.cmake
  DESTINATION ${SAWMILL_PACKAGE_DIR})

list(TRANSFORM SAWMILL_STATIC_DEPS PREPEND -l OUTPUT_VARIABLE SAWMILL_PC_PRIVATE)
list(JOIN SAWMILL_PC_PRIVATE " " SAWMILL_PC_PRIVATE)
# Paths relative to the .pc file so the install can be moved (--prefix at
# install time).
file(RELATIVE_PATH SAWMILL_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(cmake/sawmill.pc.in ${CMAKE_CURRENT_BINARY_DIR}/sawmill.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/sawmill.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
