# Finds the MySQL client library as PkgConfig::MYSQLCLIENT (include after
# find_package(PkgConfig)); tests/integration/packaging/mysql_client_test.sh
# runs it against Oracle's libmysqlclient.
#
# The MySQL probe needs MariaDB Connector/C (libmariadb-dev): its
# non-blocking API (mysql_real_connect_start, ...) keeps a probe within its
# deadline. Oracle's libmysqlclient has none; Ubuntu's
# default-libmysqlclient-dev is Oracle's.
pkg_check_modules(MYSQLCLIENT IMPORTED_TARGET libmariadb)
if(NOT MYSQLCLIENT_FOUND)
  pkg_check_modules(MYSQLCLIENT REQUIRED IMPORTED_TARGET mysqlclient)
endif()
include(CheckSymbolExists)
set(CMAKE_REQUIRED_INCLUDES ${MYSQLCLIENT_INCLUDE_DIRS})
set(CMAKE_REQUIRED_LIBRARIES PkgConfig::MYSQLCLIENT)
check_symbol_exists(mysql_real_connect_start mysql.h RSAGENT_MYSQL_NONBLOCKING)
unset(CMAKE_REQUIRED_INCLUDES)
unset(CMAKE_REQUIRED_LIBRARIES)
if(NOT RSAGENT_MYSQL_NONBLOCKING)
  message(FATAL_ERROR "The MySQL client library found (${MYSQLCLIENT_MODULE_NAME} "
    "${MYSQLCLIENT_VERSION}, ${MYSQLCLIENT_INCLUDE_DIRS}) has no non-blocking API "
    "(mysql_real_connect_start): it is Oracle's libmysqlclient. rsagent needs MariaDB "
    "Connector/C: apt install libmariadb-dev (Debian, Ubuntu; not "
    "default-libmysqlclient-dev on Ubuntu), dnf install mariadb-connector-c-devel (RHEL 9).")
endif()
