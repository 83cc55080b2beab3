#!/usr/bin/env bash
# The ctest test asan.unit: the unit tests built with ASan+UBSan (Debug) in
# BUILD_DIR. It builds them first, so it never runs stale binaries, and
# configures BUILD_DIR when it is missing (with scripts/test.sh's flags), so a
# missing directory is not a silent pass; ctest fails when it finds no test,
# and a BUILD_DIR configured without the sanitizers is refused.
# Usage: run_unit.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=${1:?usage: run_unit.sh SOURCE_DIR BUILD_DIR} dir=${2:?usage: run_unit.sh SOURCE_DIR BUILD_DIR}
if [[ ! -f $dir/build.ninja ]]; then
  echo "asan.unit: configuring $dir (Debug, ASan+UBSan, unit tests only)"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRSAGENT_WERROR=ON \
    -DRSAGENT_SANITIZE=ON -DRSAGENT_UNIT_TESTS_ONLY=ON "${launcher[@]}" >/dev/null
fi
# A directory configured otherwise would run plain binaries and pass as asan.unit.
if ! grep -qixE 'RSAGENT_SANITIZE:BOOL=(ON|1|TRUE|YES|Y)' "$dir/CMakeCache.txt"; then
  echo "asan.unit: $dir is not a sanitizer build (RSAGENT_SANITIZE is not ON in its" \
    "CMakeCache.txt): delete it, or configure it with -DRSAGENT_SANITIZE=ON" >&2
  exit 1
fi
echo "asan.unit: building $dir"
nice cmake --build "$dir" -j2
exec ctest --test-dir "$dir" -L unit -j2 --output-on-failure --no-tests=error
