# Installs tally's .pc files (part of `cmake --install`): their include flag
# is chosen for the prefix they are installed to, which may not be the one
# configured (`cmake --install <dir> --prefix <other>`).
#
# tally's headers are system headers for the code that includes them, so the
# flag is -isystem, except where they are installed in a directory that the
# compiler searches anyway (/usr/include, /usr/local/include): there it is
# left out, because -isystem /usr/include would put the C library's headers
# before the C++ library's and break its #include_next.
#
# Set by the install(CODE) that includes this file:
#   TALLY_PKGCONFIG_FILES              the configured .pc files
#   TALLY_PKGCONFIG_STAGE              a directory for the finished ones
#   TALLY_INCLUDEDIR, TALLY_LIBDIR     CMAKE_INSTALL_INCLUDEDIR, _LIBDIR
#   TALLY_IMPLICIT_INCLUDE_DIRECTORIES the compiler's own include directories
if (IS_ABSOLUTE "${TALLY_INCLUDEDIR}")
  set(include_dir "${TALLY_INCLUDEDIR}")
else()
  set(include_dir "${CMAKE_INSTALL_PREFIX}/${TALLY_INCLUDEDIR}")
endif()
file(REAL_PATH "${include_dir}" include_dir)
set(TALLY_PKGCONFIG_INCLUDE "-isystem \${includedir}")
foreach(implicit IN LISTS TALLY_IMPLICIT_INCLUDE_DIRECTORIES)
  file(REAL_PATH "${implicit}" implicit)
  if (include_dir STREQUAL implicit)
    set(TALLY_PKGCONFIG_INCLUDE "")
  endif()
endforeach()

file(MAKE_DIRECTORY "${TALLY_PKGCONFIG_STAGE}")
set(finished "")
foreach(pc IN LISTS TALLY_PKGCONFIG_FILES)
  get_filename_component(name "${pc}" NAME)
  configure_file("${pc}" "${TALLY_PKGCONFIG_STAGE}/${name}" @ONLY)
  list(APPEND finished "${TALLY_PKGCONFIG_STAGE}/${name}")
endforeach()
file(INSTALL ${finished} DESTINATION "${CMAKE_INSTALL_PREFIX}/${TALLY_LIBDIR}/pkgconfig")
