#!/usr/bin/env bash
# The next Debian release builds the tree warning-free: in a Debian 13 root
# (GCC 14, spdlog 1.15, fmt 10, toml++ 3.4) with the build packages of
# scripts/install-deps.sh, a copy of the source tree, -Werror, the binary
# and the unit tests built and the unit tests run. Lean: no benchmarks, no
# packages; ccache in $RSAGENT_TRIXIE_CCACHE (default
# /var/cache/rsagent-ccache-trixie) makes a rebuild of unchanged sources fast
# (the source is always /src in the root, so hits survive a new clone).
# The source is copied (edits during the build do not mix in); the ccache
# bind mount lives in a private mount namespace, so it vanishes with it even
# when the test is killed, and the root's removal can never reach into it.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/rootfs.sh"

require_root
require_cmd debootstrap chroot unshare mount curl zstd
make_tmp

mapfile -t packages < <(bash "$RSAGENT_SOURCE_DIR/scripts/install-deps.sh" --list-build)
root="$TMP/root"
cached_root trixie "$root" "${packages[@]}" ccache
ccache_dir="${RSAGENT_TRIXIE_CCACHE:-/var/cache/rsagent-ccache-trixie}"
mkdir -p "$ccache_dir" "$root/src" "$root/ccache"
tar -C "$RSAGENT_SOURCE_DIR" --exclude=./.git --exclude='./build*' -cf - . | tar -C "$root/src" -xf -

# Runs in the root: configure, build the binary and every unit test, run them.
cat >"$root/build.sh" <<'SH'
set -eu
export CCACHE_DIR=/ccache CCACHE_MAXSIZE=2G LC_ALL=C.UTF-8
echo "VERSIONS $(dpkg-query -W -f='${Package} ${Version}, ' g++ libspdlog-dev libfmt-dev libtomlplusplus-dev)"
start=$(date +%s%N)
cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSAGENT_WERROR=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/build.log 2>&1
targets=$(ninja -C /build -t targets all |
  sed -n 's/^\(tests\/unit\.[^:[]*\): CXX_EXECUTABLE_LINKER.*/\1/p' | sort -u)
echo "UNIT_TARGETS $(echo "$targets" | wc -w)"
nice cmake --build /build -j2 --target rsagent $targets >>/build.log 2>&1
echo "BUILD_MS $((($(date +%s%N) - start) / 1000000))"
echo "CCACHE $(ccache -s 2>/dev/null | grep -iE 'hits|misses' | tr -s ' \n' ' ')"
echo "VERSION $(/build/agent/rsagent --version)"
start=$(date +%s%N)
ctest --test-dir /build -L unit -LE asan -j2 --timeout 60 --output-on-failure >/ctest.log 2>&1
echo "UNIT_MS $((($(date +%s%N) - start) / 1000000)) $(grep 'tests passed' /ctest.log)"
SH

log "building in the trixie root (a cold ccache: a full compile on 2 cores)"
start=$(now_ms)
rc=0
unshare --mount --propagation private -- bash -c '
  set -e
  mount --bind "$2" "$1/ccache"
  mount -t proc proc "$1/proc"
  exec chroot "$1" bash /build.sh
' _ "$root" "$ccache_dir" >"$TMP/result.txt" 2>&1 || rc=$?
log "trixie: $(sed -n 's/^VERSIONS //p' "$TMP/result.txt")"
if ((rc != 0)); then
  cat "$TMP/result.txt" >&2
  tail -n 40 "$root/build.log" >&2 || true
  [[ -f $root/ctest.log ]] && tail -n 40 "$root/ctest.log" >&2
  fail "the build or the unit tests failed in the trixie root (rc $rc)"
fi
if grep -n 'warning:' "$root/build.log" >&2; then
  fail "the trixie build printed warnings"
fi
log "$(sed -n 's/^UNIT_TARGETS //p' "$TMP/result.txt") unit test binaries and rsagent built in" \
  "$(sed -n 's/^BUILD_MS //p' "$TMP/result.txt") ms (ccache: $(sed -n 's/^CCACHE //p' "$TMP/result.txt"))"
pass "Debian 13 builds with -Werror: $(sed -n 's/^VERSION //p' "$TMP/result.txt")"
pass "unit tests on Debian 13: $(sed -n 's/^UNIT_MS //p' "$TMP/result.txt") (ms, result)"
log "total $(($(now_ms) - start)) ms"
