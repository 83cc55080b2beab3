# The agents' metrics over the drills in a real Prometheus, on this host
# (source after common.sh). The guest has no Prometheus: under TCG it would
# take CPU from the cluster it watches. guest/scrape_metrics.py recorded the
# four agents' /metrics every 2 s, with the labels and timestamps
# Prometheus gives a scrape; here promtool backfills them into a TSDB and
# Debian's prometheus serves it on 127.0.0.1 for the queries the report
# draws (tests/lab/prom_series.py) and the shipped dashboard's [pair] panels,
# whose series only agents with [pair] export (the pair's drills).
#
#   lab_prometheus OUT   reads OUT/metrics.om.gz, writes OUT/prom.json
#                        (tests/lab/prom_series.py) and OUT/prom-pair-panels.txt
#
# A backfilled TSDB has no staleness markers (Prometheus writes them when a
# scrape fails or a series goes away): a lookback of 4 s, two scrape
# intervals, keeps a killed agent's last values from lasting 5 minutes.

lab_prometheus() {
  local out="$1" here src db="$TMP/prom-tsdb" port pid start
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  src=$(cd "$here/../.." && pwd)
  if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
    log "no prometheus/promtool on this host (scripts/install-deps.sh installs them): no metrics in the report"
    return 0
  fi
  [[ -s $out/metrics.om.gz ]] || { log "the guest recorded no metrics"; return 0; }
  start=$(now_ms)
  # A guest stopped mid-write leaves a truncated gzip stream: keep whole lines.
  python3 - "$out/metrics.om.gz" "$TMP/metrics.om" <<'PY'
import gzip, sys
with gzip.open(sys.argv[1], "rt") as f, open(sys.argv[2], "w") as out:
    try:
        for line in f:
            if line.endswith("\n"):
                out.write(line)
    except (EOFError, OSError):
        pass
    out.write("# EOF\n")
PY
  promtool tsdb create-blocks-from openmetrics "$TMP/metrics.om" "$db" >"$TMP/promtool.log" 2>&1 ||
    fail "promtool could not backfill the recorded metrics: $(tail -n 5 "$TMP/promtool.log")"
  printf 'global:\n  scrape_interval: 2s\n' >"$TMP/prometheus.yml"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$db" \
    --web.listen-address="127.0.0.1:$port" --query.lookback-delta=4s \
    >"$TMP/prometheus.log" 2>&1 &
  pid=$!
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  wait_until 60 curl -sf -o /dev/null "http://127.0.0.1:$port/-/ready" ||
    fail "prometheus did not start: $(tail -n 5 "$TMP/prometheus.log")"
  python3 "$here/prom_series.py" "http://127.0.0.1:$port" "$out" ||
    fail "querying the lab's Prometheus failed"
  # The [pair] panels over the pair's drills: each must return series.
  local t0 t1
  read -r t0 t1 < <(python3 -c '
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if r and r[0].startswith("pair_")]
print(int(rows[0][1]) // 1000, int(rows[-1][5]) // 1000 + 1) if rows else print(0, 0)' "$out/drills.csv")
  if ((t0 > 0)); then
    python3 "$src/tests/integration/prometheus/grafana_dashboard.py" queries \
      "$src/packaging/grafana/rsagent-dashboard.json" --row '[pair]' |
      python3 "$src/tests/integration/prometheus/prom_api.py" "http://127.0.0.1:$port" panels \
        "$t0" "$t1" >"$out/prom-pair-panels.txt" 2>&1 ||
      echo "FAIL" >>"$out/prom-pair-panels.txt"
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  log "prometheus: recorded metrics backfilled and queried in $(($(now_ms) - start)) ms"
}
