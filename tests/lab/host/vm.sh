# Boots the lab VM and reads its results back (source after common.sh).
#
#   lab_boot IMAGE_DIR OUT GUEST_TIMEOUT_S [ENTRY]
#     ENTRY: what the guest runs from /lab/guest (default drills.sh).
#     qemu under TCG (Debian's kernel cannot run on this host's /dev/kvm),
#     no network device at all (-nic none: qemu would otherwise add a NIC
#     with user networking, which reaches outside). The root disk is
#     snapshot=on: the image is never written. The guest writes a tar
#     stream onto the second, raw disk; it is unpacked into OUT. The serial
#     console goes to OUT/console.log and is followed on stderr.
#     qemu is killed by pid at exit; the wait is bounded.

lab_boot() {
  local img="$1" out="$2" guest_timeout="$3" entry="${4:-drills.sh}"
  local result="$TMP/result.img" start qemu_pid follow_pid
  mkdir -p "$out"
  truncate -s 64M "$result"
  start=$(now_ms)
  qemu-system-x86_64 -accel tcg,thread=multi -cpu max -smp 2 -m 1536 \
    -display none -monitor none -no-reboot -nic none \
    -serial "file:$out/console.log" \
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img" \
    -drive "file=$img/rootfs.img,format=raw,if=virtio,snapshot=on" \
    -drive "file=$result,format=raw,if=virtio" \
    -append "console=ttyS0 panic=-1 quiet lab_timeout=$guest_timeout lab_entry=$entry" \
    >"$out/qemu.log" 2>&1 &
  qemu_pid=$!
  on_exit "kill -9 $qemu_pid; wait $qemu_pid"
  touch "$out/console.log"
  # keepalived -l logs every gratuitous ARP to the console: kept in the file, not shown.
  tail -n +1 -f --pid="$qemu_pid" "$out/console.log" | grep --line-buffered -v '^Keepalived' >&2 &
  follow_pid=$!
  on_exit "kill $follow_pid"

  # Boot, bring-up and drills under TCG, plus slack for the kernel and
  # the guest's own bounded shutdown.
  local deadline=$((SECONDS + guest_timeout + 240))
  while kill -0 "$qemu_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 1; done
  if kill -0 "$qemu_pid" 2>/dev/null; then
    kill -9 "$qemu_pid"
    fail "the VM did not power off within $((guest_timeout + 240)) s"
  fi
  wait "$qemu_pid" || true
  wait "$follow_pid" 2>/dev/null || true
  log "VM ran $(($(now_ms) - start)) ms"
  tar -xf "$result" -C "$out" 2>/dev/null ||
    fail "the VM wrote no results (see $out/console.log, $out/qemu.log)"
}
