#!/bin/bash
# The seed cluster, live, on real keepalived + IPVS: builds the VM image
# (cached rootfs and kernel, the rsagent .deb, the project's configs), boots
# it under qemu TCG, runs the drills inside, prints the report.
#
#   tests/lab/run.sh DEB OUT
#
#   LAB_ENTRY=keepalived_rules.sh tests/lab/run.sh DEB OUT
#     instead of the drills, checks keepalived's misc_dynamic rules on real
#     IPVS (guest/keepalived_rules.sh, ~3 min): prints OUT/result.md, exit 0
#     when keepalived applies every rule the example states.
#
# OUT gets the raw results, report.md, timeline.svg and prometheus.svg (the
# agents' metrics over the drills, through a real Prometheus on this host). Exit 0 when every
# drill's outcome is right (timings are reported, never judged), 1 otherwise.
# Exit 77 when the guest's root is not cached and the mirror cannot be reached.
# Env: LAB_GUEST_TIMEOUT (s, default 900), LAB_CACHE (kernel, default
# /var/cache/rsagent-lab), RSAGENT_ROOTS_CACHE (root, default /var/cache/rsagent-roots).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
deb=$(realpath "${1:?usage: run.sh DEB OUT}")
out=$(realpath -m "${2:?usage: run.sh DEB OUT}")
# common.sh wants these; the binary under test is the packaged one in the VM.
export RSAGENT="${RSAGENT:-$deb}" RSAGENT_SOURCE_DIR="$src"
source "$src/tests/integration/lib/common.sh"
source "$src/tests/integration/lib/rootfs.sh"
source "$here/host/cache.sh"
source "$here/host/image.sh"
source "$here/host/vm.sh"
source "$here/host/prometheus.sh"

require_root
require_cmd qemu-system-x86_64 debootstrap busybox mkfs.ext4 cpio dpkg-deb python3

# What the guest runs; the rsagent package's own dependencies are added.
GUEST_PACKAGES=(keepalived ipvsadm nginx-light mariadb-server mariadb-client
  iproute2 kmod procps python3 curl)
mapfile -t deb_deps < <(lab_deb_depends "$deb")

make_tmp
rm -rf "$out"
mkdir -p "$out"
stage="$TMP/stage"
mkdir -p "$stage/conf"
cp -r "$here/guest" "$stage/guest"
cp -r "$src/tests/integration/lib" "$stage/lib"
cp "$src"/conf/examples/* "$stage/conf/"

lab_build_image "$TMP/image" "$deb" "$stage" "${GUEST_PACKAGES[@]}" "${deb_deps[@]}"
entry=${LAB_ENTRY:-drills.sh}
lab_boot "$TMP/image" "$out" "${LAB_GUEST_TIMEOUT:-900}" "$entry"
[[ -f $out/rc ]] || fail "the guest left no exit code"
if [[ $entry != drills.sh ]]; then
  cat "$out/result.md" 2>/dev/null || echo "no result.md: see $out/console.log" >&2
  exit "$(cat "$out/rc")"
fi
lab_prometheus "$out"
python3 "$here/report.py" "$out"
