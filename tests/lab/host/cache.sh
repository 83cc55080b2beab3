# The lab's expensive artifacts, cached across runs (source after
# tests/integration/lib/common.sh).
#
# $LAB_CACHE (default /var/cache/rsagent-lab) holds, keyed by what they are
# made from so a changed input makes a new entry instead of a stale hit:
#   rootfs-<hash>.tar   debootstrap minbase + the guest's packages; <hash> is
#                       over the package list and the mirror
#   <kernel>.deb        Debian's kernel, fetched with apt-get download
#
#   lab_mirror                    sets LAB_MIRROR from the host's apt sources
#   lab_cached_rootfs PKG...      sets LAB_ROOTFS_TAR, making the tarball if needed
#   lab_cached_kernel             sets LAB_KERNEL_DEB, downloading it if needed
# (Variables, not output: in a $(...) subshell a cleanup registration would be lost.)

LAB_CACHE="${LAB_CACHE:-/var/cache/rsagent-lab}"

lab_mirror() {
  LAB_MIRROR=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\) bookworm .*/\2/p' \
    /etc/apt/sources.list 2>/dev/null | head -n 1 || true)
  [[ -n $LAB_MIRROR ]] ||
    LAB_MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources \
      2>/dev/null || true)
  [[ -n $LAB_MIRROR ]] || fail "no Debian mirror in /etc/apt/sources.list{,.d}"
}

lab_cached_rootfs() {
  local key tarball work start
  key=$(printf '%s\n' "$LAB_MIRROR" "$@" | sort | sha256sum | cut -c1-16)
  tarball="$LAB_CACHE/rootfs-$key.tar"
  if [[ ! -f $tarball ]]; then
    mkdir -p "$LAB_CACHE"
    work=$(mktemp -d "$LAB_CACHE/mk.XXXX")
    # Removed even when debootstrap fails half-way (it leaves mounts behind).
    on_exit "lab_remove_tree '$work'"
    start=$(now_ms)
    log "debootstrap: guest rootfs with $# packages (cached as $tarball)"
    local IFS=,
    debootstrap --variant=minbase --include="$*" bookworm "$work/root" "$LAB_MIRROR" \
      >"$work/debootstrap.log" 2>&1 ||
      { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
    unset IFS
    lab_remove_mounts "$work/root"
    # Package caches are not needed in the guest: a smaller image, faster mkfs.
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
    tar -C "$work/root" -cf "$tarball.$$" . && mv "$tarball.$$" "$tarball"
    lab_remove_tree "$work"
    # A changed package list (new rsagent dependencies) makes a new key: the
    # old tarballs (~550 MB each) would only pile up.
    find "$LAB_CACHE" -maxdepth 1 -name 'rootfs-*.tar' ! -path "$tarball" -delete
    log "rootfs cached in $(($(now_ms) - start)) ms"
  fi
  LAB_ROOTFS_TAR="$tarball"
}

lab_cached_kernel() {
  local pkg deb
  # The package linux-image-amd64 points at, e.g. linux-image-6.1.0-56-amd64.
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -n 1)
  [[ -n $pkg ]] || fail "apt-cache knows no linux-image-amd64 (run apt-get update)"
  deb=$(ls "$LAB_CACHE/${pkg}"_*.deb 2>/dev/null | head -n 1 || true)
  if [[ -z $deb ]]; then
    mkdir -p "$LAB_CACHE"
    log "downloading $pkg"
    (cd "$LAB_CACHE" && timeout 600 apt-get download -q "$pkg" >"$LAB_CACHE/download.log" 2>&1) ||
      fail "apt-get download $pkg"
    deb=$(ls "$LAB_CACHE/${pkg}"_*.deb | head -n 1)
  fi
  LAB_KERNEL_DEB="$deb"
}

# Unmounts whatever is mounted below DIR (deepest first).
lab_remove_mounts() {
  local m
  for m in $(awk -v r="$1" 'index($2, r "/") == 1 || $2 == r {print $2}' /proc/self/mounts |
    sort -r); do
    umount -l "$m"
  done
}

lab_remove_tree() {
  lab_remove_mounts "$1"
  rm -rf --one-file-system "$1"
}
