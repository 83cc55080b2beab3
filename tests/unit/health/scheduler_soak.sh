#!/usr/bin/env bash
# Many seeded random schedules of the probe scheduler (CI runs 3 per build):
# ProbeScheduler.RandomSchedulesKeepTheInvariants in
# tests/unit/health/probe_scheduler_test.cc, schedules FIRST_SEED,
# FIRST_SEED+1, ... Each seed is printed; RSAGENT_SEED=N replays one.
#
#   tests/unit/health/scheduler_soak.sh [SCHEDULES (100)] [FIRST_SEED (random)] [BUILD_DIR (build)]
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "$0")/../../.." && pwd)
SCHEDULES=${1:-100}
FIRST=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
BUILD_DIR=${3:-$SOURCE_DIR/build}
cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -G Ninja >/dev/null
nice cmake --build "$BUILD_DIR" -j2 --target unit.health.probe_scheduler_test >/dev/null
start=$(date +%s)
failed=0
for ((i = 0; i < SCHEDULES; i++)); do
  seed=$((FIRST + i))
  if ! out=$(RSAGENT_SEED=$seed "$BUILD_DIR/tests/unit.health.probe_scheduler_test" \
    --gtest_filter='ProbeScheduler.RandomSchedulesKeepTheInvariants' 2>&1); then
    failed=$((failed + 1))
    echo "FAILED: RSAGENT_SEED=$seed"
    grep -E 'Failure|Expected|actual|report|never' <<<"$out" | head -8
  fi
done
echo "scheduler soak: $SCHEDULES schedules from seed $FIRST, $failed failed, $(($(date +%s) - start)) s"
((failed == 0))
