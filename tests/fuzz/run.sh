#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 300) each, one after another,
# from its checked-in seeds plus what earlier runs found (kept in
# build-fuzz/tests/fuzz/long/<name>, outside the source tree), and prints
# per target: executions, executions per second, coverage (edges) and
# features, corpus size, and whether it found anything. A finding is saved
# as build-fuzz/tests/fuzz/crash-<name>-* and ends the script with exit 1;
# add it to tests/fuzz/corpus/<name>/ with the fix.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-300}
shift || true
build=${RSAGENT_FUZZ_BUILD_DIR:-build-fuzz}

if [[ ! -f $build/CMakeCache.txt ]]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRSAGENT_FUZZ=ON
fi
cmake --build "$build" -j"$(nproc)"

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in tests/fuzz/*_fuzz.cc; do
    n=${f##*/}
    targets+=("${n%_fuzz.cc}")
  done
fi

printf '%-18s %12s %10s %8s %8s %8s  %s\n' TARGET EXECS EXECS/S COV FT CORPUS RESULT
failed=0
for name in "${targets[@]}"; do
  out=$build/tests/fuzz
  corpus=$out/long/$name
  mkdir -p "$corpus"
  log=$out/long/$name.log
  rc=0
  ASAN_OPTIONS=detect_leaks=1 "$out/${name}_fuzz" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$out/crash-$name-" \
    "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=ok
  if ((rc != 0)); then
    result="FINDING (exit $rc, see $log)"
    failed=1
  fi
  printf '%-18s %12s %10s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$result"
done
exit "$failed"
