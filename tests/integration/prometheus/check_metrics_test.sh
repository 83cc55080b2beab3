#!/usr/bin/env bash
# A real agent's /metrics (an HTTP probe against a real nginx, after some
# attempts) passes `promtool check metrics` with no finding, and holds no
# series named after another exporter's.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nginx curl promtool
make_tmp
make_ns pm NS
start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
cat >"$TMP/rsagent.toml" <<CONF
[agent]
listen = "127.0.0.1:9480"
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "200ms"
timeout = "200ms"
[service.web]
port = 80
probes = ["nginx"]
CONF
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
wait_until 5 http_is "$NS" http://127.0.0.1:9480/health/web 200 || fail "web never UP"
ip netns exec "$NS" curl -s http://127.0.0.1:9480/metrics >"$TMP/metrics"
grep -q '^rsagent_probe_duration_seconds_bucket{probe="nginx",type="http",le="+Inf"} [1-9]' \
  "$TMP/metrics" || fail "no probe duration histogram: $(head -50 "$TMP/metrics")"
grep -q '^process_resident_memory_bytes [0-9]' "$TMP/metrics" || fail "no process_* series"
out=$(promtool check metrics <"$TMP/metrics" 2>&1) || fail "promtool check metrics: $out"
[[ -z $out ]] || fail "promtool check metrics findings: $out"
if grep -vE '^(#|rsagent_|process_)' "$TMP/metrics"; then fail "series outside rsagent_/process_"; fi
pass "promtool check metrics: clean ($(grep -vc '^#' "$TMP/metrics") samples)"
