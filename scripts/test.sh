#!/usr/bin/env bash
# The whole test suite: unit (also under ASan+UBSan), integration (root,
# network namespaces, real nginx/MariaDB/keepalived). Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

# Disk: the three build trees, the cached roots (/var/cache/rsagent-*) and the
# tests' temporary roots and datadirs took ~13 GB in a cold run. A run on a
# fuller disk fails late and far from the cause (mkfs, cp, the linker: ENOSPC),
# so say it first.
need_mb=13000
free_mb=$(df -Pm . /tmp /var/cache | awk 'NR > 1 {print $4}' | sort -n | head -1)
if ((free_mb < need_mb)); then
  echo "test.sh: warning: only ${free_mb} MB free (on ., /tmp or /var/cache); a full run needs ~${need_mb} MB — tests may fail with 'No space left on device'" >&2
fi

jobs=$(nproc)
# Warnings are errors here, as in CI.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRSAGENT_WERROR=ON
cmake --build build -j"$jobs"
# The unit tests again under AddressSanitizer + UBSan; the main ctest run
# below executes them as the test "asan.unit".
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRSAGENT_WERROR=ON \
  -DRSAGENT_SANITIZE=ON -DRSAGENT_UNIT_TESTS_ONLY=ON
cmake --build build-asan -j"$jobs"
# The libFuzzer targets (clang, ASan+UBSan); the main ctest run below runs
# each briefly from its seed corpus as the test "fuzz" (tests/fuzz/).
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRSAGENT_FUZZ=ON
cmake --build build-fuzz -j"$jobs"

ctest --test-dir build --output-on-failure -j2 "$@"
