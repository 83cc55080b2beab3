#!/usr/bin/env bash
# The seed cluster, live: builds rsagent and its .deb, boots a VM with real
# keepalived + IPVS, real nginx and MariaDB, rsagent installed from the .deb on
# the four real servers, runs the seed's fault drills under client load and
# prints the report. Everything is torn down at the end, also on Ctrl-C.
#
#   sudo scripts/lab.sh            report in build/lab/report.md (+ timeline.svg)
#   LAB_BUILD_DIR=DIR              another build directory (default build)
#
# Needs root and Debian 12; the first run fetches the guest's packages and
# kernel from the host's Debian mirror into /var/cache/rsagent-roots and
# /var/cache/rsagent-lab (~2 min).
# What it does and why: tests/lab/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build=${LAB_BUILD_DIR:-build}
# Same configuration as scripts/test.sh, so the two share one build.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSAGENT_WERROR=ON >/dev/null
cmake --build "$build" --target rsagent packaging_files -j"$(nproc)"
rm -rf "$build/lab-deb"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$build/lab-deb" >"$build/lab-deb.log" 2>&1 ||
  { cat "$build/lab-deb.log" >&2; exit 1; }
deb=$(ls "$build"/lab-deb/*.deb)
exec tests/lab/run.sh "$deb" "$build/lab"
