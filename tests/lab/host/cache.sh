# The lab's kernel, cached across runs (source after
# tests/integration/lib/common.sh). The guest's root comes from the shared
# root cache (tests/integration/lib/rootfs.sh, /var/cache/rsagent-roots).
#
# $LAB_CACHE (default /var/cache/rsagent-lab) holds <kernel>.deb, Debian's
# kernel, fetched with apt-get download.
#
#   lab_cached_kernel             sets LAB_KERNEL_DEB, downloading it if needed
# (Variables, not output: in a $(...) subshell a cleanup registration would be lost.)

LAB_CACHE="${LAB_CACHE:-/var/cache/rsagent-lab}"

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
