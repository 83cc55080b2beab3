# The per-run VM image, built from the caches (source after cache.sh and
# tests/integration/lib/rootfs.sh).
#
#   lab_build_image OUT DEB GUEST_DIR PKG...
#     OUT/vmlinuz, OUT/initrd.img  Debian's kernel and a busybox initramfs
#                                  that mounts /dev/vda and switch_roots to
#                                  /lab/guest/init
#     OUT/rootfs.img               ext4 (mkfs.ext4 -d, no loop mount): the cached
#                                  bookworm root + kernel modules + the rsagent .deb
#                                  installed with dpkg + GUEST_DIR as /lab
#   PKG... are the guest's Debian packages (the rootfs cache key).

# Module directories the guest needs: IPVS, netfilter, veth, bridge, and the
# disk/filesystem stack; the rest of the kernel's 300 MB stays out.
LAB_MODULE_DIRS=(net lib crypto arch/x86/crypto fs/ext4 fs/jbd2 fs/mbcache.ko
  drivers/net/veth.ko drivers/net/dummy.ko drivers/virtio drivers/block/virtio_blk.ko)

lab_build_image() {
  local out="$1" deb="$2" guest="$3"
  shift 3
  local start kver root="$TMP/root" kdir="$TMP/kernel"
  mkdir -p "$out"
  cached_root bookworm "$root" "$@"
  lab_cached_kernel

  start=$(now_ms)
  mkdir -p "$kdir"
  dpkg -x "$LAB_KERNEL_DEB" "$kdir"
  kver=$(ls "$kdir/lib/modules")
  cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"
  _lab_copy_modules "$kdir/lib/modules/$kver" "$root/lib/modules/$kver" "${LAB_MODULE_DIRS[@]}"

  # The project's own package, as a user installs it; its dependencies are in
  # the cached rootfs (lab_deb_depends put them in the package list).
  cp "$deb" "$root/tmp/rsagent.deb"
  chroot "$root" dpkg -i /tmp/rsagent.deb >"$TMP/dpkg.log" 2>&1 ||
    { cat "$TMP/dpkg.log" >&2; fail "dpkg -i rsagent.deb in the guest rootfs"; }
  rm "$root/tmp/rsagent.deb"
  cp -r "$guest" "$root/lab"
  # debootstrap writes no hosts file; mariadb-install-db resolves the hostname.
  printf '127.0.0.1 localhost lab\n' >"$root/etc/hosts"

  local size_mb
  size_mb=$(($(du -sm "$root" | cut -f1) + 512))
  truncate -s "${size_mb}M" "$out/rootfs.img"
  mkfs.ext4 -q -F -L labroot -d "$root" "$out/rootfs.img" ||
    fail "mkfs.ext4 -d"
  _lab_initramfs "$kdir/lib/modules/$kver" "$kver" "$out/initrd.img"
  log "image built in $(($(now_ms) - start)) ms (rootfs ${size_mb} MB, kernel $kver)"
}

# Dependencies of a .deb as package names (first alternative, no versions,
# a virtual package replaced by its provider: debootstrap resolves neither):
# they go into the guest's package list.
lab_deb_depends() {
  local p provider
  for p in $(dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/ //g'); do
    provider=$(apt-cache showpkg "$p" | sed -n '/^Reverse Provides:/{n;p;q}' | cut -d' ' -f1)
    if [[ -n $provider ]] && ! apt-cache policy "$p" | grep -q 'Candidate: [0-9]'; then
      p=$provider
    fi
    echo "$p"
  done
}

_lab_copy_modules() {  # SRC DST DIR...
  local src="$1" dst="$2" d
  shift 2
  for d in "$@"; do
    mkdir -p "$dst/kernel/$(dirname "$d")"
    cp -r "$src/kernel/$d" "$dst/kernel/$d"
  done
  cp "$src"/modules.builtin* "$src/modules.order" "$dst/"
  depmod -b "${dst%/lib/modules/*}" "$(basename "$dst")"
}

_lab_initramfs() {  # MODULES_DIR KVER OUT
  local ir="$TMP/initramfs"
  mkdir -p "$ir"/{bin,sbin,dev,proc,sys,newroot}
  cp /bin/busybox "$ir/bin/busybox"
  local applet
  for applet in sh mount umount switch_root sleep insmod cat mkdir; do
    ln -s busybox "$ir/bin/$applet"
  done
  # The kernel itself runs /sbin/modprobe (e.g. ext4 asking for crc32c).
  ln -s ../bin/busybox "$ir/sbin/modprobe"
  _lab_copy_modules "$1" "$ir/lib/modules/$2" lib crypto arch/x86/crypto fs/ext4 fs/jbd2 \
    fs/mbcache.ko drivers/virtio drivers/block/virtio_blk.ko
  cat >"$ir/init" <<'INIT'
#!/bin/sh
# Just enough to reach the real root: the disk and ext4, then switch_root.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in crc32c_generic virtio_pci virtio_blk ext4; do modprobe $m; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
mount -t ext4 /dev/vda /newroot || { echo "lab-initramfs: cannot mount /dev/vda"; exit 1; }
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /lab/guest/init
INIT
  chmod 755 "$ir/init"
  (cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) >"$3"
}
