#!/usr/bin/env bash
# cmake/MysqlClient.cmake against the real libraries: with only Oracle's
# libmysqlclient (no non-blocking API; what Ubuntu's default-libmysqlclient-dev
# brings) configuring stops with the MariaDB Connector/C hint; with
# libmariadb-dev beside it, it finds that one. Oracle's client comes from
# Debian unstable (mysql 9.x), in a cached root.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/rootfs.sh"

require_root
require_cmd debootstrap chroot mount umount curl zstd
make_tmp

root="$TMP/root"
cached_root sid "$root" cmake make pkg-config g++ libmysqlclient-dev
mkdir -p "$root/t/cmake"
cp "$RSAGENT_SOURCE_DIR/cmake/MysqlClient.cmake" "$root/t/cmake/"
cat >"$root/t/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(mysql_client_check CXX)
find_package(PkgConfig REQUIRED)
include(cmake/MysqlClient.cmake)
message(STATUS "client: ${MYSQLCLIENT_MODULE_NAME} ${MYSQLCLIENT_VERSION}")
CMAKE

client=$(in_root "$root" dpkg-query -W -f='${Package} ${Version}' libmysqlclient-dev)
if out=$(in_root "$root" cmake -S /t -B /t/oracle 2>&1); then
  fail "configured with Oracle's libmysqlclient ($client):
$out"
fi
grep -q "has no non-blocking API" <<<"$out" && grep -q "apt install libmariadb-dev" <<<"$out" ||
  fail "the configure error does not give the hint:
$out"
pass "Oracle's client ($client): configure stops with the MariaDB Connector/C hint"

root_apt_update "$root"
apt_in_root "$root" install libmariadb-dev
out=$(in_root "$root" cmake -S /t -B /t/mariadb 2>&1) || fail "configure with libmariadb-dev:
$out"
grep -q "client: libmariadb" <<<"$out" || fail "libmariadb-dev beside Oracle's: not chosen:
$out"
pass "with libmariadb-dev installed beside it, MariaDB Connector/C is found"
