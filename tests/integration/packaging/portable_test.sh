#!/usr/bin/env bash
# One binary for Debian 12/13, Ubuntu 22.04/24.04 and the RHEL 9 family: its
# NEEDED list holds only sonames every target ships under the same name, its
# symbol versions are no newer than the oldest target's (RHEL 9: glibc 2.34,
# GCC 11's libstdc++ / libgcc_s, OpenSSL 3.0), and the RPM requires nothing
# outside RHEL 9 BaseOS/AppStream, the .deb's Depends nothing Ubuntu 22.04
# lacks. Prints the NEEDED list, the ceilings found, rpm -qpR and Depends.
# spdlog, fmt and toml++ are header-only for this (deps/CMakeLists.txt).
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/packages.sh"

require_cmd objdump cpack rpm rpmbuild dpkg-deb
make_tmp

# soname -> the RHEL 9 package that ships it (BaseOS unless marked), the same
# soname on Debian 12/13 and Ubuntu 22.04/24.04.
declare -A STABLE_SONAMES=(
  [libc.so.6]=glibc [libm.so.6]=glibc [ld-linux-x86-64.so.2]=glibc
  [libstdc++.so.6]=libstdc++ [libgcc_s.so.1]=libgcc
  [libssl.so.3]=openssl-libs [libcrypto.so.3]=openssl-libs
  [libmariadb.so.3]="mariadb-connector-c (AppStream)"
  [libnl-3.so.200]=libnl3 [libnl-route-3.so.200]=libnl3
  [libcurl.so.4]=libcurl
  # libbpf is linked statically (netsetup/CMakeLists.txt): its soname is
  # libbpf.so.0 on Ubuntu 22.04 and RHEL 9.0/9.1. What it needs is stable.
  [libelf.so.1]=elfutils-libelf [libz.so.1]=zlib
)
# Version tag prefix -> the newest RHEL 9 has (glibc 2.34, GCC 11, OpenSSL 3.0,
# elfutils 0.186: ELFUTILS_1.7 is elf_compress, 0.165; zlib 1.2.11: ZLIB_1.2.9).
declare -A CEILING=(
  [GLIBC]=2.34 [GLIBCXX]=3.4.29 [CXXABI]=1.3.13 [GCC]=7.0.0 [OPENSSL]=3.0.0
  [ELFUTILS]=1.7 [ZLIB]=1.2.9
)
# Unnumbered tags the RHEL 9 libraries define (mariadb-connector-c, libnl3).
RHEL_TAGS=" libmysqlclient_18 libmariadb_3 libnl_3 "
# Debian's libcurl4 versions its symbols CURL_OPENSSL_4; RHEL's libcurl is
# built without --enable-versioned-symbols. ld.so accepts a versioned
# reference to an unversioned library, but an RPM requirement on the tag
# could never be met: rsagent-packages.cmake drops it from autoreq.
BINARY_ONLY_TAGS=" CURL_OPENSSL_4 "

bin="$RSAGENT"
# Both executables the packages ship. rsagent-check is a static PIE
# (check/CMakeLists.txt: keepalived forks it per check): no interpreter, no
# NEEDED, no symbol versions, so it runs on any of the targets as it is.
check_bin="$(dirname "$bin")/../check/rsagent-check"
[[ -x $check_bin ]] || fail "no rsagent-check beside $bin (build the target rsagent-check)"
if readelf -lW "$check_bin" | grep -q 'INTERP'; then
  fail "rsagent-check has a program interpreter: no longer a static PIE ($(readelf -lW "$check_bin" |
    grep -A1 INTERP | tail -n 1))"
fi
readelf -dW "$check_bin" | grep -q 'NEEDED' && fail "rsagent-check needs shared libraries"
pass "rsagent-check is a static PIE"
objdump -p "$bin" >"$TMP/dyn.txt" || fail "objdump -p $bin"
objdump -p "$check_bin" >>"$TMP/dyn.txt" || fail "objdump -p $check_bin"

# NEEDED.
mapfile -t needed < <(awk '$1 == "NEEDED" {print $2}' "$TMP/dyn.txt")
log "NEEDED: ${needed[*]}"
bad=()
for so in "${needed[@]}"; do
  [[ -n ${STABLE_SONAMES[$so]:-} ]] || bad+=("$so")
done
((${#bad[@]} == 0)) || fail "the binary needs ${bad[*]}: not a soname every target ships" \
  "(allowed: ${!STABLE_SONAMES[*]}); link it statically or header-only (deps/CMakeLists.txt)"
pass "NEEDED holds only stable sonames (${#needed[@]})"

# Symbol versions: the newest tag per prefix, against the ceiling.
mapfile -t tags < <(sed -n '/^Version References:/,$ s/^ *0x[0-9a-f]* 0x[0-9a-f]* [0-9]* //p' \
  "$TMP/dyn.txt" | sort -u)
((${#tags[@]} > 0)) || fail "no version references in objdump -p (parsing broke?)"
declare -A binary_tags
for tag in "${tags[@]}"; do binary_tags[$tag]=1; done
found=()
for prefix in GLIBC GLIBCXX CXXABI GCC OPENSSL ELFUTILS ZLIB; do
  newest=$(printf '%s\n' "${tags[@]}" | sed -n "s/^${prefix}_\([0-9.]*\)$/\1/p" | sort -V | tail -n 1)
  [[ -n $newest ]] || continue
  found+=("${prefix}_$newest")
  top=$(printf '%s\n' "$newest" "${CEILING[$prefix]}" | sort -V | tail -n 1)
  if [[ $top != "${CEILING[$prefix]}" ]]; then
    objdump -T "$bin" | grep -F "${prefix}_$newest" | head -n 5 >&2 || true
    fail "the binary needs ${prefix}_$newest, newer than RHEL 9's ${prefix}_${CEILING[$prefix]}" \
      "(symbols above)"
  fi
done
for tag in "${tags[@]}"; do
  [[ $tag =~ ^(GLIBC|GLIBCXX|CXXABI|GCC|OPENSSL|ELFUTILS|ZLIB)_[0-9.]+$ || "$RHEL_TAGS$BINARY_ONLY_TAGS" == *" $tag "* ]] ||
    fail "unknown symbol version $tag (not checked against RHEL 9)"
done
log "symbol version ceiling found: ${found[*]}"
pass "symbol versions within RHEL 9's ($(for p in "${!CEILING[@]}"; do printf '%s_%s ' "$p" "${CEILING[$p]}"; done))"

# The RPM's requirements, each against RHEL 9 BaseOS/AppStream.
rpm_file=$(build_package RPM "$TMP/rpm")
rpm -qpR "$rpm_file" >"$TMP/requires.txt" 2>/dev/null || fail "rpm -qpR"
log "rpm -qpR: $(tr '\n' ' ' <"$TMP/requires.txt")"
while read -r req _; do
  case $req in
    # rpm itself, the package's own config(), bash, systemd
    rpmlib\(*\) | rtld\(GNU_HASH\) | config\(rsagent\) | /bin/sh | systemd) continue ;;
  esac
  so=${req%%(*}
  [[ -n ${STABLE_SONAMES[$so]:-} ]] || fail "the RPM requires $req: not in RHEL 9 BaseOS/AppStream" \
    "(checked against: ${!STABLE_SONAMES[*]}, /bin/sh, systemd, rpmlib, rtld)"
  tag=$(sed -n 's/^[^(]*(\([^)]*\))(64bit)$/\1/p' <<<"$req")
  [[ -z $tag || $RHEL_TAGS == *" $tag "* ]] && continue
  [[ $tag =~ ^(GLIBC|GLIBCXX|CXXABI|GCC|OPENSSL|ELFUTILS|ZLIB)_[0-9.]+$ && -n ${binary_tags[$tag]:-} ]] ||
    fail "the RPM requires $req: RHEL 9's ${STABLE_SONAMES[$so]} provides no such version"
done <"$TMP/requires.txt"
pass "rpm -qpR: everything from RHEL 9 BaseOS/AppStream"

# The .deb's Depends (dpkg-shlibdeps), each against the oldest Debian-family
# target, Ubuntu 22.04. The mirror serves no Ubuntu suite, so there is no
# install test there; this list (jammy's version of each package; Debian 13
# and Ubuntu 24.04 ship the t64 ones, which provide these names) is what the
# .deb is held to instead.
declare -A JAMMY=(
  [init-system-helpers]=1.62 [libc6]=2.35 [libcurl4]=7.81.0 [libelf1]=0.186
  [libgcc-s1]=12.3.0 [libmariadb3]=1:10.6.7 [libnl-3-200]=3.5.0
  [libnl-route-3-200]=3.5.0 [libstdc++6]=12.3.0 [zlib1g]=1:1.2.11
)
deb_file=$(build_package DEB "$TMP/deb")
depends=$(dpkg-deb -f "$deb_file" Depends) || fail "dpkg-deb -f Depends"
log "Depends: $depends"
IFS=',' read -ra deps <<<"$depends"
for dep in "${deps[@]}"; do
  [[ $dep =~ ^\ *([a-z0-9.+-]+)(\ \((>=|=|>>)\ ([^\)]+)\))?\ *$ ]] ||
    fail "Depends entry '$dep' is not NAME (>= VERSION): alternatives or pins are not checked here"
  name=${BASH_REMATCH[1]} version=${BASH_REMATCH[4]}
  [[ -n ${JAMMY[$name]:-} ]] || fail "the .deb depends on $name, not in Ubuntu 22.04's list (${!JAMMY[*]})"
  [[ -z $version ]] || dpkg --compare-versions "${JAMMY[$name]}" ge "$version" ||
    fail "the .deb needs $name >= $version; Ubuntu 22.04 has ${JAMMY[$name]}"
done
pass "Depends: every package in Ubuntu 22.04 at the version asked (${#deps[@]} packages)"
