#!/usr/bin/env bash
# The main job, on this one machine: a real nginx and rsagent in a network
# namespace of their own (nothing leaves it). Shows the director's view —
# /health turning 503 when nginx dies and 200 when it is back — with the
# agent on its embedded default config (a plain nginx box).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target rsagent -j"$(nproc)"
RSAGENT=$ROOT/build/agent/rsagent
source tests/integration/lib/nginx.sh  # write_nginx_conf

NS="rsagent-demo-$$"
TMP=$(mktemp -d /tmp/rsagent-demo.XXXX)
PIDS=()
cleanup() {
  set +e
  # Everything in the namespace, by pid: nginx workers outlive a killed master.
  for pid in $(ip netns pids "$NS" 2>/dev/null) "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  ip netns delete "$NS" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
code() { in_ns curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:9480$1" || true; }
ms() { echo $(($(date +%s%N) / 1000000)); }
wait_code() {  # wait_code PATH CODE SECONDS
  local deadline=$((SECONDS + $3))
  while ((SECONDS <= deadline)); do
    [[ $(code "$1") == "$2" ]] && return 0
    sleep 0.05
  done
  return 1
}

start_nginx() {
  write_nginx_conf "$TMP/nginx" 'listen 127.0.0.1:80; location / { return 200 "hello from nginx\n"; }'
  ip netns exec "$NS" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
}

say "A network namespace of our own ($NS) with a real nginx on 127.0.0.1:80"
ip netns add "$NS"
ip -n "$NS" link set lo up
start_nginx

say "rsagent run with the embedded default config (probes http://127.0.0.1/ and port 80)"
# The embedded default, with the agent's state and control socket moved to
# the demo's temp dir so the demo never touches a real agent's files.
{
  printf '[agent]\nstate_dir = "%s"\ncontrol_socket = "%s"\n\n' "$TMP/state" "$TMP/control.sock"
  python3 -c 'import re,sys; print(re.search(r"R\"toml\((.*?)\)toml\"", open(sys.argv[1]).read(), re.S).group(1))' \
    conf/default_config.cc
} >"$TMP/rsagent.toml"
args=(-c "$TMP/rsagent.toml")
ip netns exec "$NS" "$RSAGENT" run "${args[@]}" >"$TMP/agent.log" 2>&1 &
PIDS+=($!)
t0=$(ms)
wait_code /health 200 10 || { echo "agent never reported UP"; cat "$TMP/agent.log"; exit 1; }
sed 's/^/    agent| /' "$TMP/agent.log"
echo "UP after $(($(ms) - t0)) ms (rise 2 x interval 1s from start)"

say "What keepalived's HTTP_GET sees"
in_ns curl -s -i http://127.0.0.1:9480/health/web | tr -d '\r'

say "/status (excerpt) and /metrics (excerpt)"
in_ns curl -s http://127.0.0.1:9480/status | python3 -c '
import json, sys
d = json.load(sys.stdin)
for s in d["services"]:
    print("service %-8s %-5s since %s  %s" % (s["name"], s["state"].upper(), s["since"], s["reason"]))
for p in d["probes"]:
    last = p["last"] or {}
    print("probe   %-8s %-5s %-5s last %.2f ms  %s" % (p["name"], "UP" if p["up"] else "DOWN",
          p["type"], last.get("latency_ms", 0), p["reason"]))'
in_ns curl -s http://127.0.0.1:9480/metrics | grep -E '^rsagent_(service_up|probe_up|probe_duration_seconds_count)'

say "Fault: nginx killed (master and worker)"
workers=$(pgrep -P "$NGINX_PID" || true)
t0=$(ms)
kill -9 "$NGINX_PID" $workers
{ wait "$NGINX_PID"; } 2>/dev/null || true
wait_code /health 503 10 || { echo "agent did not notice"; exit 1; }
echo "/health -> 503 after $(($(ms) - t0)) ms (bound: fall 2 x interval 1s + timeout 500ms)"
in_ns curl -s -i http://127.0.0.1:9480/health/web | tr -d '\r' | grep -E '^(HTTP|X-Rsagent)'

say "Recovery: nginx started again"
start_nginx
t0=$(ms)
wait_code /health 200 10 || { echo "agent did not recover"; exit 1; }
echo "/health -> 200 after $(($(ms) - t0)) ms (rise 2 x interval 1s)"

say "The agent's log"
sed 's/^/    agent| /' "$TMP/agent.log"

say "Done: everything is torn down on exit"
