# Helpers for the packaging tests (source after lib/common.sh).
#
# RSAGENT_BUILD_DIR (set by ctest) is the build tree the tests run in; the
# packages are made from it with cpack, into the test's own directory.
# Debian roots come from lib/rootfs.sh (cached in /var/cache/rsagent-roots).

: "${RSAGENT_BUILD_DIR:?set RSAGENT_BUILD_DIR to the build tree (ctest does)}"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/rootfs.sh"

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

# The Debian release the install tests run on: bookworm (default) or
# trixie; the *_trixie_test.sh wrappers set it.
SUITE="${RSAGENT_SUITE:-bookworm}"

# make_debian_root DIR [PKG...] -> a fresh minbase of $SUITE with PKG... in
# DIR from the shared root cache (lib/rootfs.sh), with its apt sources and an
# updated package index. Removed at exit.
make_debian_root() {
  local dir="$1"
  shift
  cached_root "$SUITE" "$dir" "$@"
  root_apt_update "$dir"
}
