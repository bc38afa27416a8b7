# Install rules for the library: libgmm, gmm.h and gmm.pc (the gmm command
# installs itself in cli/CMakeLists.txt). Included from src/CMakeLists.txt,
# where the gmm target is defined.
install(TARGETS gmm
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# A static libgmm brings its dependencies to every program that links it, so
# `pkg-config --libs gmm` must name them; a shared one links them itself, so
# they are only needed for --static.
set(_gmm_system_libs "${OpenMP_C_FLAGS} -lm")
if(GMM_HAVE_MPI)
  # MPI has no pkg-config name common to Open MPI and MPICH: its libraries
  # by path, as CMake found them.
  list(JOIN MPI_C_LIBRARIES " " _gmm_mpi_libs)
  string(APPEND _gmm_system_libs " ${MPI_C_LINK_FLAGS} ${_gmm_mpi_libs}")
endif()
get_target_property(_gmm_type gmm TYPE)
if(_gmm_type STREQUAL "STATIC_LIBRARY")
  set(GMM_PC_REQUIRES "Requires")
  set(GMM_PC_LIBS "${_gmm_system_libs}")
  set(GMM_PC_LIBS_PRIVATE "")
else()
  set(GMM_PC_REQUIRES "Requires.private")
  set(GMM_PC_LIBS "")
  set(GMM_PC_LIBS_PRIVATE "${_gmm_system_libs}")
endif()
# "../.." for lib/pkgconfig, "../../.." for lib/x86_64-linux-gnu/pkgconfig.
file(RELATIVE_PATH GMM_PC_PREFIX_FROM_PCDIR
  "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(${PROJECT_SOURCE_DIR}/cmake/gmm.pc.in
  ${PROJECT_BINARY_DIR}/gmm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gmm.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
