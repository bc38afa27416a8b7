# Install rules for the library: libgmm, gmm.h and gmm.pc (the gmm command
# installs itself in cli/CMakeLists.txt). Included from src/CMakeLists.txt,
# where the gmm target is defined.
install(TARGETS gmm gmm_shared
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Both libgmm.so and libgmm.a are installed, and -lgmm links the shared
# one, which brings its own dependencies; `pkg-config --static` names them
# for a static link.
set(_gmm_system_libs "${OpenMP_C_FLAGS} -lm")
if(GMM_HAVE_MPI)
  # MPI has no pkg-config name common to Open MPI and MPICH: its libraries
  # by path, as CMake found them.
  list(JOIN MPI_C_LIBRARIES " " _gmm_mpi_libs)
  string(APPEND _gmm_system_libs " ${MPI_C_LINK_FLAGS} ${_gmm_mpi_libs}")
endif()
set(GMM_PC_LIBS_PRIVATE "${_gmm_system_libs}")
# "../.." for lib/pkgconfig, "../../.." for lib/x86_64-linux-gnu/pkgconfig.
file(RELATIVE_PATH GMM_PC_PREFIX_FROM_PCDIR
  "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(${PROJECT_SOURCE_DIR}/cmake/gmm.pc.in
  ${PROJECT_BINARY_DIR}/gmm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/gmm.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
