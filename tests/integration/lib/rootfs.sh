# Debian roots made with debootstrap, cached as tarballs (source after
# common.sh). A root with mariadb-server or mysql-server takes a minute or
# more to bootstrap; unpacking the cached tarball takes seconds.
#
#   require_mirror SUITE...        sets MIRROR; exit 77 when a suite's Release
#                                  cannot be fetched from it
#   cached_root SUITE DIR [PKG...] DIR = minbase of SUITE with PKG... installed,
#                                  apt sources for SUITE, the host's /etc/hosts;
#                                  removed at exit
#   root_apt_update DIR            resolv.conf + apt-get update in the root
#   in_root DIR CMD...             CMD chrooted, with /proc, no stdin or prompts
#   apt_in_root DIR ARGS...        apt-get -y ARGS in the root; log on failure
#   remove_root DIR                unmounts what is below DIR, removes it
#
# Tarballs live in $RSAGENT_ROOTS_CACHE (default /var/cache/rsagent-roots),
# named SUITE-<hash of suite, sorted packages, mirror>.tar.zst, so a changed
# input makes a new entry instead of a stale hit. Each use refreshes the
# entry's mtime; entries unused for 14 days are deleted when a new one is made.
# Building an entry takes a per-entry lock: parallel tests wait, not race.
# Only building needs the mirror: a cached root works offline.

RSAGENT_ROOTS_CACHE="${RSAGENT_ROOTS_CACHE:-/var/cache/rsagent-roots}"

# The host's Debian mirror (first one-line or deb822 source), or fail.
_root_host_mirror() {
  local m
  m=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) [a-z]* .*/\2/p' /etc/apt/sources.list \
    2>/dev/null | grep -v -- '-security' | head -n 1 || true)
  [[ -n $m ]] ||
    m=$(awk '/^URIs:/ && $2 !~ /-security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources \
      2>/dev/null || true)
  [[ -n $m ]] || fail "no Debian mirror in /etc/apt/sources.list{,.d}"
  echo "${m%/}"
}

_root_mirror_reachable() {  # SUITE
  curl -fsS -m 10 -o /dev/null "$MIRROR/dists/$1/Release" 2>/dev/null
}

require_mirror() {
  MIRROR=$(_root_host_mirror)
  local suite
  for suite in "${@:-bookworm}"; do
    if ! _root_mirror_reachable "$suite"; then
      log "SKIP: the Debian mirror $MIRROR cannot be reached for $suite (dists/$suite/Release)"
      exit 77
    fi
  done
}

cached_root() {
  ((BASH_SUBSHELL == 0)) || fail "cached_root must not run in a subshell (cleanup would be lost)"
  local suite="$1" dir="$2"
  shift 2
  [[ -n ${MIRROR:-} ]] || MIRROR=$(_root_host_mirror)
  local key tarball start lock
  key=$(printf '%s\n' "suite=$suite" "mirror=$MIRROR" $(printf '%s\n' "$@" | sort -u) |
    sha256sum | cut -c1-16)
  tarball="$RSAGENT_ROOTS_CACHE/$suite-$key.tar.zst"
  mkdir -p "$RSAGENT_ROOTS_CACHE"
  exec {lock}>"$RSAGENT_ROOTS_CACHE/.$suite-$key.lock"
  flock "$lock"
  if [[ ! -f $tarball ]]; then
    _root_mirror_reachable "$suite" || {
      log "SKIP: no cached $suite root ($tarball) and the Debian mirror $MIRROR cannot be reached"
      exit 77
    }
    _root_build "$suite" "$tarball" "$@"
  fi
  exec {lock}>&-
  touch "$tarball"
  on_exit "remove_root '$dir'"
  start=$(now_ms)
  mkdir -p "$dir"
  tar -C "$dir" -I zstd -xf "$tarball" || fail "unpacking $tarball"
  log "$suite root${*:+ with $*} unpacked from the cache: $(($(now_ms) - start)) ms"
  _root_apt_sources "$suite" "$dir"
  # debootstrap writes none; mariadb-install-db and mysqld resolve the hostname.
  [[ -s $dir/etc/hosts ]] || cp /etc/hosts "$dir/etc/hosts"
}

_root_build() {  # SUITE TARBALL PKG...
  local suite="$1" tarball="$2" work start
  shift 2
  work=$(mktemp -d "$RSAGENT_ROOTS_CACHE/mk.XXXX")
  # Removed even when debootstrap fails half-way (it leaves mounts behind).
  on_exit "remove_root '$work'"
  start=$(now_ms)
  log "debootstrap $suite${*:+ with $*} (cached as $tarball)"
  local include=()
  if (($# > 0)); then
    include=("--include=$(IFS=,; echo "$*")")
  fi
  debootstrap --variant=minbase "${include[@]}" "$suite" "$work/root" "$MIRROR" \
    >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap $suite"; }
  _root_unmount "$work/root"
  # Package caches: every user runs apt-get update first or needs no apt.
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" -I 'zstd -T0 -3' -cf "$tarball.$$" . && mv "$tarball.$$" "$tarball" ||
    fail "packing $tarball"
  remove_root "$work"
  find "$RSAGENT_ROOTS_CACHE" -maxdepth 1 -name '*.tar.zst' -mtime +14 -delete
  log "$suite root built and cached in $(($(now_ms) - start)) ms ($(du -h "$tarball" | cut -f1))"
}

# sources.list for the suite: the release, and for a stable release its
# -updates and -security (the host's security mirror, when it has one), so
# libraries resolve at the versions the host built against.
_root_apt_sources() {  # SUITE DIR
  local suite="$1" dir="$2" security
  {
    echo "deb $MIRROR $suite main"
    if [[ $suite != sid && $suite != unstable ]]; then
      echo "deb $MIRROR $suite-updates main"
      security=$(grep -ho 'http[^ ]*debian-security' /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
      [[ -z $security ]] || echo "deb $security $suite-security main"
    fi
  } >"$dir/etc/apt/sources.list"
}

root_apt_update() {
  local start
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  start=$(now_ms)
  # The mirror may serve a frozen snapshot: sid's Release is past Valid-Until.
  apt_in_root "$1" -o Acquire::Check-Valid-Until=false update
  log "apt-get update in the root: $(($(now_ms) - start)) ms"
}

in_root() {
  local root="$1"
  shift
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@" </dev/null
}

apt_in_root() {
  local root="$1"
  shift
  in_root "$root" apt-get -y -q --no-install-recommends "$@" >>"$TMP/apt.log" 2>&1 ||
    { tail -n 30 "$TMP/apt.log" >&2; fail "apt-get $*"; }
}

_root_mounts() {
  awk -v r="$1" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts | sort -r
}

_root_unmount() {
  local m
  for m in $(_root_mounts "$1"); do
    umount -l "$m"
  done
}

# A bind mount of the same file system (a source tree, a cache) has the same
# device, so rm --one-file-system would descend into it: nothing is removed
# while anything is still mounted below the root.
remove_root() {
  _root_unmount "$1"
  if [[ -n $(_root_mounts "$1") ]]; then
    log "not removing $1: still mounted below it: $(_root_mounts "$1" | tr '
' ' ')"
    return 1
  fi
  rm -rf --one-file-system "$1"
}
