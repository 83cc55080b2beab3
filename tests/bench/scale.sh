#!/usr/bin/env bash
# Issue 16: what the agent costs as the probes grow, and whether its verdicts
# survive a starved host, each against the previous release built from its
# commit and run in the same script (same machine, same noise, interleaved).
#
#   tests/bench/scale.sh [--quick] [--build DIR] [--reference REV] [--report FILE] [--only scale|starved]
#
# 1. 10 / 100 / 1,000 tcp probes at interval 1s against a local nginx: CPU,
#    threads, RSS, /health latency (a new connection per check, 20/s).
# 2. stress-ng hogging every core with healthy nginx and MariaDB, the shipped
#    example timings: DOWN verdicts (each one false); then nginx and mysqld
#    frozen (SIGSTOP) under the same hog: time to DOWN against its bound.
#
# The tables replace the block between the scale markers in FILE (default
# docs/bench-report.md). --quick: one short run of each (the ctest slice is
# tests/integration/agent/starved_host_test.sh). Everything runs in one
# network namespace made here, on its loopback. Needs root.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$BENCH_DIR/../.." && pwd)
REFERENCE=d90b0fe
source "$BENCH_DIR/lib/cli.sh"
bench_parse_args "$0 [--quick] [--build DIR] [--reference REV] [--report FILE] [--only scale|starved]" \
  --build --reference --report --only -- "$@"
bench_build rsagent rsagent-bench-load rsagent-bench-watch

source "$SOURCE_DIR/tests/integration/lib/common.sh"
source "$SOURCE_DIR/tests/integration/lib/nginx.sh"
source "$SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$BENCH_DIR/lib/measure.sh"
source "$BENCH_DIR/lib/setup.sh"
source "$BENCH_DIR/lib/reference.sh"
source "$BENCH_DIR/lib/scale_sections.sh"
require_root
require_cmd nginx mariadbd mariadb curl stress-ng python3

# Each may be set in the environment (e.g. HOG_SECONDS=60 with --quick).
if ((QUICK)); then
  : "${REPS:=1}" "${CPU_SECONDS:=5}" "${LATENCY_SECONDS:=3}" "${HOG_SECONDS:=20}" "${FREEZE_TRIALS:=1}"
else
  : "${REPS:=3}" "${CPU_SECONDS:=20}" "${LATENCY_SECONDS:=10}" "${HOG_SECONDS:=60}" "${FREEZE_TRIALS:=3}"
fi
: "${SIZES:=10 100 1000}"

REF_AGENT=$(reference_agent "$REFERENCE")
declare -A AGENTS=([new]="$RSAGENT" [ref]="$REF_AGENT")

make_tmp
make_ns scale BENCH_NS
log "setting up nginx and a MariaDB pair"
bench_start_nginx
bench_start_mariadb

OUT="$TMP/scale.md"
{
  echo "<!-- scale:begin (tests/bench/scale.sh writes this block) -->"
  echo "## Scale and a starved host (issue 16)"
  echo
  echo "Written by \`tests/bench/scale.sh$( ((QUICK)) && echo " --quick")\` on $(date -u +%Y-%m-%dT%H:%MZ),"
  echo "$(nproc) cores, load average before the run $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "*new* is this tree ($(git -C "$SOURCE_DIR" rev-parse --short HEAD)), *ref* the previous release"
  echo "($(git -C "$SOURCE_DIR" rev-parse --short "$REFERENCE^{commit}"), built by the script), run alternately in the same script."
  echo
} >"$OUT"
[[ $ONLY == starved ]] || section_scale >>"$OUT"
[[ $ONLY == scale ]] || section_starved >>"$OUT"
echo "<!-- scale:end -->" >>"$OUT"

mkdir -p "$(dirname "$REPORT")"
python3 "$BENCH_DIR/lib/replace_block.py" "$REPORT" "$OUT" scale
cat "$OUT"
log "tables written to $REPORT"
((BROKEN == 0)) || fail "$BROKEN broken behaviour(s), see above"
