#!/usr/bin/env bash
# rsagent benchmarks (issue 8): the health endpoint as the directors see it
# against nginx answering a fixed 200, a clustercheck-style responder and
# keepalived's MISC_CHECK; detection latency; footprint; abuse; the weight
# checks (agent-check, rsagent-check). Prints the tables and writes them as
# markdown.
#
#   tests/bench/run.sh [--quick] [--build DIR] [--report FILE] [--only SECTION]
#
# --only SECTION (throughput, keepalived_rate, abuse, footprint, detection,
# weights) measures that section alone and puts it into the existing report
# in place of its previous version, its target rows too (lib/splice_report.py);
# the report says which sections come from which run.
# --quick: one short repetition and, for detection, its CI slice (nginx
# kill -9 at the default schedule and by the event, 3 trials each; broken when
# the event's median is not < 500 ms or the schedule's not > 700 ms),
# the ctest "bench" smoke test; it fails only on broken behaviour, never on
# timing. Default: 5 repetitions of 5 s per pair and 9 trials per detection row
# (about 15 minutes). Everything runs in one network namespace made here,
# on its loopback; nothing is addressed outside it. Needs root.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$BENCH_DIR/../.." && pwd)
source "$BENCH_DIR/lib/cli.sh"
bench_parse_args "$0 [--quick] [--build DIR] [--report FILE] [--only SECTION]" \
  --build --report --only -- "$@"
bench_build rsagent rsagent-check rsagent-bench-load rsagent-bench-hold rsagent-bench-watch \
  rsagent-bench-check-dynamic
RSAGENT_CHECK=${RSAGENT_CHECK:?the rsagent-check binary (ctest passes it)}

source "$SOURCE_DIR/tests/integration/lib/common.sh"
source "$SOURCE_DIR/tests/integration/lib/nginx.sh"
source "$SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$BENCH_DIR/lib/measure.sh"
source "$BENCH_DIR/lib/setup.sh"
source "$BENCH_DIR/lib/sections.sh"
source "$BENCH_DIR/lib/detection.sh"
require_root
require_cmd nginx mariadbd mariadb socat curl

if ((QUICK)); then
  REPS=1 SECONDS_PER_RUN=1 TRIALS=3 IDLE_SECONDS=5 ABUSE_SECONDS=6 RATE_SECONDS=3
else
  REPS=5 SECONDS_PER_RUN=5 TRIALS=9 IDLE_SECONDS=30 ABUSE_SECONDS=20 RATE_SECONDS=10
fi

make_tmp
make_ns bench BENCH_NS
log "setting up nginx, a MariaDB pair, the clustercheck responder and rsagent"
bench_start_nginx
bench_start_mariadb
bench_start_clustercheck
bench_agent_config "$TMP/agent.toml"
bench_start_agent "$TMP/agent.toml"
bench_wait_healthy 30 || fail "rsagent never turned healthy: $(curl -s "http://127.0.0.1:1" || true)"

if [[ -n $ONLY ]]; then
  declare -F "section_$ONLY" >/dev/null && [[ $ONLY != targets ]] ||
    fail "--only $ONLY: no such section"
  [[ -f $REPORT ]] || fail "--only puts a section into an existing report; $REPORT is missing"
  started=$(date -u +%Y-%m-%dT%H:%MZ) load_at_start=$(cut -d' ' -f1 /proc/loadavg)
  "section_$ONLY" >"$TMP/section.md"
  printf '%s\n' "${TARGET_ROWS[@]}" >"$TMP/targets.txt"
  heading=$(head -1 "$TMP/section.md")
  note="*${heading#\#\# [0-9]. }* (section ${heading:3:1}) was measured alone by \`tests/bench/run.sh$( ((QUICK)) && echo " --quick") --only $ONLY\` on $started, rsagent $("$RSAGENT" --version | awk '{print $NF}'), median of $([[ $ONLY == detection ]] && echo "$TRIALS trials per row" || echo "$REPS runs"), load average $load_at_start at its start; the other sections come from the run above."
  python3 "$BENCH_DIR/lib/splice_report.py" "$REPORT" "$TMP/section.md" "$TMP/targets.txt" "$note"
  cat "$TMP/section.md"
  log "section $ONLY put into $REPORT"
  ((BROKEN == 0)) || fail "$BROKEN broken behaviour(s), see above"
  exit 0
fi

OUT="$TMP/report.md"
{
  echo "# rsagent benchmark report"
  echo
  echo "Written by \`tests/bench/run.sh$( ((QUICK)) && echo " --quick")\` on $(date -u +%Y-%m-%dT%H:%MZ);"
  echo "$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), kernel $(uname -r),"
  echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(mariadbd --version | awk '{print $3}'), rsagent $("$RSAGENT" --version | awk '{print $NF}')."
  echo "Clients, servers and MariaDB share the machine (and its noise): each figure"
  echo "is the median of $REPS interleaved runs, with the range in brackets."
  echo
} >"$OUT"

section_throughput >>"$OUT"
section_keepalived_rate >>"$OUT"
section_abuse >>"$OUT"
section_footprint >>"$OUT"
section_detection >>"$OUT"
section_weights >>"$OUT"
section_targets >>"$OUT"

mkdir -p "$(dirname "$REPORT")"
cp "$OUT" "$REPORT"
cat "$OUT"
log "report written to $REPORT"
((BROKEN == 0)) || fail "$BROKEN broken behaviour(s), see above"
