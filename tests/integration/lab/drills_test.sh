#!/bin/bash
# The seed's fault drills on the live cluster (tests/lab/run.sh): real
# keepalived + IPVS in a qemu TCG VM, rsagent from this build's .deb. Fails
# when an outcome is wrong (a node not evicted, a VIP not moved, a write
# lost, a request failed during the drain), never on a timing.
# Skips when the guest's packages are not cached and the mirror is unreachable.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/packaging/packages.sh"
require_root
require_cmd qemu-system-x86_64 debootstrap busybox cpio cpack

make_tmp
deb=$(build_package DEB "$TMP/deb")
# Kept after the test (replaced by the next run): report, timeline, raw data, logs.
out="$RSAGENT_BUILD_DIR/lab-test"
# Bounded: the guest stops itself after 15 minutes, the host waits 4 more.
rc=0
LAB_GUEST_TIMEOUT=900 "$RSAGENT_SOURCE_DIR/tests/lab/run.sh" "$deb" "$out" || rc=$?
((rc != 77)) || exit 77  # no cached guest root and no mirror: run.sh said so
((rc == 0)) || fail "lab drills (report above; results and logs in $out)"
pass "every drill's outcome is right"
