# Install layout and the DEB/RPM packages (cpack -G DEB, cpack -G RPM in the
# build directory). Packages install under /usr; config and units go where
# Debian and Fedora look for them. The binary's rule is in agent/CMakeLists.txt.
if(RSAGENT_UNIT_TESTS_ONLY)
  return()
endif()

set(PKG_DIR ${CMAKE_CURRENT_LIST_DIR})
set(DOC_DIR share/doc/rsagent)

# Man pages and the Debian changelog are shipped gzipped (-n: no timestamp,
# so a rebuild gives the same bytes).
set(RSAGENT_VERSION ${PROJECT_VERSION})
set(GZIPPED)
foreach(page rsagent.8 rsagent.toml.5 rsagent-check.1)
  configure_file(${PKG_DIR}/man/${page} ${CMAKE_BINARY_DIR}/packaging/${page} @ONLY)
  list(APPEND GZIPPED ${page})
endforeach()
configure_file(${PKG_DIR}/deb/changelog ${CMAKE_BINARY_DIR}/packaging/changelog.Debian COPYONLY)
list(APPEND GZIPPED changelog.Debian)
set(GZIPPED_OUTPUTS)
foreach(name ${GZIPPED})
  set(out ${CMAKE_BINARY_DIR}/packaging/${name}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND gzip -9n -c ${CMAKE_BINARY_DIR}/packaging/${name} > ${out}
    DEPENDS ${CMAKE_BINARY_DIR}/packaging/${name} VERBATIM)
  list(APPEND GZIPPED_OUTPUTS ${out})
endforeach()
add_custom_target(packaging_files ALL DEPENDS ${GZIPPED_OUTPUTS})

install(FILES ${PKG_DIR}/rsagent.toml DESTINATION /etc/rsagent)
# Per format (packaging/cpack-format.cmake tells which one cpack builds):
# the unit's extra-arguments file where each distribution looks for it, and
# on RPM the state directory as a file of the package (%dir in %files; the
# .deb's postinst makes it, so purge can remove it with its contents).
install(CODE "
  if(\"\$ENV{RSAGENT_PACKAGE_FORMAT}\" STREQUAL \"RPM\")
    file(INSTALL ${PKG_DIR}/environment/rsagent DESTINATION /etc/sysconfig)
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}/var/lib/rsagent\")
  else()
    file(INSTALL ${PKG_DIR}/environment/rsagent DESTINATION /etc/default)
  endif()")
install(FILES ${PKG_DIR}/systemd/rsagent.service DESTINATION lib/systemd/system)
# Inactive on purpose: in sysctl.d it would change host-wide ARP at the next
# boot even with a config that manages no VIP. The agent applies the sysctls
# itself, before binding VIPs (packaging/README.md).
install(FILES ${PKG_DIR}/sysctl/90-rsagent-arp.conf DESTINATION share/rsagent/sysctl)
install(FILES ${CMAKE_BINARY_DIR}/packaging/rsagent.8.gz DESTINATION share/man/man8)
install(FILES ${CMAKE_BINARY_DIR}/packaging/rsagent.toml.5.gz DESTINATION share/man/man5)
install(FILES ${CMAKE_BINARY_DIR}/packaging/rsagent-check.1.gz DESTINATION share/man/man1)
install(FILES ${CMAKE_BINARY_DIR}/packaging/changelog.Debian.gz ${PKG_DIR}/deb/copyright
        DESTINATION ${DOC_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/conf/README.md DESTINATION ${DOC_DIR}
        RENAME configuration.md)
# `rsagent diagnose` points at it (diagnose/shipped_files.h).
install(FILES ${PROJECT_SOURCE_DIR}/docs/migrating.md DESTINATION ${DOC_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/conf/examples/ DESTINATION ${DOC_DIR}/examples)
# Alert rules and the Grafana dashboard, for the monitoring host to pick up.
install(FILES ${PKG_DIR}/prometheus/rsagent-rules.yml DESTINATION share/rsagent/prometheus)
install(FILES ${PKG_DIR}/grafana/rsagent-dashboard.json DESTINATION share/rsagent/grafana)

# Common to both generators.
set(CPACK_PACKAGE_NAME rsagent)
set(CPACK_PACKAGE_VENDOR "rsagent maintainers")
set(CPACK_PACKAGE_CONTACT
    "rsagent maintainers <maintainers@users.noreply.r-seed-eaff0220.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Health agent for LVS-DR / keepalived real servers")
set(CPACK_PACKAGE_DESCRIPTION
    "rsagent runs on the real servers behind an LVS director in direct-routing\n\
mode. It keeps the node DR-ready (ARP suppression, VIPs bound on lo and\n\
re-bound when removed), probes nginx, MySQL/MariaDB (read_only, replication,\n\
lag, semi-sync), TCP ports and commands, and serves per-service verdicts\n\
with hysteresis over HTTP for keepalived's HTTP_GET checkers, with JSON\n\
status and Prometheus metrics.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
# A distribution revision: bump it to rebuild the same upstream version.
set(RSAGENT_PACKAGE_RELEASE 1 CACHE STRING "Package revision (Debian revision, RPM release)")
set(RSAGENT_LICENSE Apache-2.0)

# DEB: dependencies from the binary (dpkg-shlibdeps), Debian's file layout.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${RSAGENT_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# deb-systemd-helper in postinst/postrm (update-state, purge), besides the libraries.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PKG_DIR}/deb/conffiles ${PKG_DIR}/deb/postinst ${PKG_DIR}/deb/prerm ${PKG_DIR}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# RPM: dependencies from rpm's autoreq; the config is %config(noreplace).
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE ${RSAGENT_PACKAGE_RELEASE})
set(CPACK_RPM_PACKAGE_LICENSE ${RSAGENT_LICENSE})
set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_PACKAGE_RELOCATABLE OFF)
# Debian's libcurl4 versions its symbols (CURL_OPENSSL_4), RHEL 9's libcurl
# does not: ld.so accepts the versioned reference, but an autoreq on the tag
# could never be met there, so it is dropped (libcurl.so.4 itself stays).
# Brackets, not backslashes: rpm's macro expansion eats those.
set(RSAGENT_RPM_REQUIRES_EXCLUDE "^libcurl[.]so[.]4[(]CURL_OPENSSL_4[)]")
# No /usr/lib/.build-id links: that tree belongs to no single package here.
set(CPACK_RPM_SPEC_MORE_DEFINE
    "%define packager ${CPACK_PACKAGE_CONTACT}\n%define _build_id_links none\n\
%global __requires_exclude ${RSAGENT_RPM_REQUIRES_EXCLUDE}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_AUTOPROV OFF)
set(CPACK_RPM_CHANGELOG_FILE ${PKG_DIR}/rpm/changelog)
set(CPACK_RPM_POST_INSTALL_SCRIPT_FILE ${PKG_DIR}/rpm/post.sh)
set(CPACK_RPM_PRE_UNINSTALL_SCRIPT_FILE ${PKG_DIR}/rpm/preun.sh)
set(CPACK_RPM_POST_UNINSTALL_SCRIPT_FILE ${PKG_DIR}/rpm/postun.sh)
set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/rsagent/rsagent.toml"
    "%config(noreplace) /etc/sysconfig/rsagent" "%dir %attr(0750,root,root) /var/lib/rsagent")
# Directories other packages own (filesystem, systemd, man-db).
list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
     /usr/sbin /usr/lib/systemd /usr/lib/systemd/system /usr/share/man /usr/share/man/man1
     /usr/share/man/man5 /usr/share/man/man8 /etc/sysconfig /var /var/lib)

set(CPACK_PROJECT_CONFIG_FILE ${PKG_DIR}/cpack-format.cmake)
include(CPack)
