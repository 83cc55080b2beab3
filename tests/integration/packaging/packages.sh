# Helpers for the packaging tests (source after lib/common.sh).
#
# RSAGENT_BUILD_DIR (set by ctest) is the build tree the tests run in; the
# packages are made from it with cpack, into the test's own directory.
# Debian roots come from debootstrap's tarball cached in $RSAGENT_TEST_CACHE
# (default /var/cache/rsagent-test), made from the host's Debian mirror.

: "${RSAGENT_BUILD_DIR:?set RSAGENT_BUILD_DIR to the build tree (ctest does)}"

# build_package GENERATOR OUTDIR [RELEASE] -> prints the package's path.
# RELEASE (default: the configured one) bumps the Debian revision / RPM
# release, as a rebuild of the same upstream version does.
build_package() {
  local gen="$1" out="$2" release="${3:-}" defs=()
  if [[ -n $release ]]; then
    defs=(-D "CPACK_DEBIAN_PACKAGE_RELEASE=$release" -D "CPACK_RPM_PACKAGE_RELEASE=$release")
  fi
  mkdir -p "$out"
  cpack --config "$RSAGENT_BUILD_DIR/CPackConfig.cmake" -G "$gen" -B "$out" "${defs[@]}" \
    >"$out/cpack-$gen.log" 2>&1 || { cat "$out/cpack-$gen.log" >&2; fail "cpack -G $gen"; }
  local ext=deb
  [[ $gen == RPM ]] && ext=rpm
  local pkg
  pkg=$(ls -t "$out"/*."$ext" | head -n 1)
  [[ -f $pkg ]] || fail "cpack -G $gen made no .$ext"
  echo "$pkg"
}

# require_mirror -> sets MIRROR to the first bookworm mirror of the host's
# apt sources (one-line or deb822); exits 77 when it cannot be reached.
require_mirror() {
  MIRROR=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) bookworm .*/\2/p' \
    /etc/apt/sources.list 2>/dev/null | head -n 1 || true)
  [[ -n $MIRROR ]] ||
    MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [[ -n $MIRROR ]] || fail "no Debian mirror in /etc/apt/sources.list{,.d}"
  if ! curl -fsS -m 10 -o /dev/null "$MIRROR/dists/bookworm/Release"; then
    log "SKIP: the Debian mirror $MIRROR cannot be reached"
    exit 77
  fi
}

# make_debian_root DIR -> a fresh Debian 12 minbase in DIR with the host's apt
# sources (updates and security too, so the library versions the binary was
# built against resolve) and an updated package index. Removed at exit,
# after unmounting anything left mounted below it.
make_debian_root() {
  local root="$1" cache="${RSAGENT_TEST_CACHE:-/var/cache/rsagent-test}" start
  local tarball="$cache/bookworm-minbase.tgz"
  on_exit "remove_root '$root'"
  start=$(now_ms)
  if [[ ! -f $tarball ]]; then
    mkdir -p "$cache"
    debootstrap --variant=minbase --make-tarball="$tarball.$$" bookworm "$TMP/mk" "$MIRROR" \
      >"$TMP/make-tarball.log" 2>&1 ||
      { tail -n 20 "$TMP/make-tarball.log" >&2; fail "debootstrap --make-tarball"; }
    mv "$tarball.$$" "$tarball"
    log "cached $tarball in $(($(now_ms) - start)) ms"
    start=$(now_ms)
  fi
  debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$MIRROR" \
    >"$TMP/debootstrap.log" 2>&1 || { tail -n 20 "$TMP/debootstrap.log" >&2; fail "debootstrap"; }
  log "debootstrap from the cached tarball: $(($(now_ms) - start)) ms"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  rm -f "$root/etc/apt/sources.list"
  cp /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
  cp /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
    "$root/etc/apt/sources.list.d/" 2>/dev/null || true
  start=$(now_ms)
  apt_in_root "$root" update
  log "apt-get update in the root: $(($(now_ms) - start)) ms"
}

remove_root() {
  local m
  for m in $(awk -v r="$1" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts |
    sort -r); do
    umount -l "$m"
  done
  rm -rf --one-file-system "$1"
}

# in_root ROOT CMD... -> CMD in a chroot with /proc, no stdin, no prompts.
in_root() {
  local root="$1"
  shift
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@" </dev/null
}

# apt_in_root ROOT ARGS... -> apt-get -y ARGS in the root; its log on failure.
apt_in_root() {
  local root="$1"
  shift
  in_root "$root" apt-get -y -q --no-install-recommends "$@" >>"$TMP/apt.log" 2>&1 ||
    { tail -n 30 "$TMP/apt.log" >&2; fail "apt-get $*"; }
}
