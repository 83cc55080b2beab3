#!/usr/bin/env bash
# The agent against a real nginx in its own namespace: UP after rise, nginx
# killed -> 503 within fall x interval + timeout, restarted -> UP again; hung
# probes (an exec that sleeps, a server that accepts and never answers) turn
# their services DOWN on time while /health keeps answering promptly; SIGTERM
# answers DOWN for the grace period, then exits 0.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nginx curl python3
make_tmp
make_ns web NS

start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080

# A server that accepts connections and never answers.
start_bg "$NS" "$TMP/silent.log" python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8081)); s.listen(16)
held = []
while True:
    c, _ = s.accept(); held.append(c)
'
wait_until 5 ip netns exec "$NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/8081' ||
  fail "silent server did not start: $(cat "$TMP/silent.log")"

cat >"$TMP/rsagent.toml" <<CONF
[agent]
listen = "127.0.0.1:9480"
shutdown_grace = "2s"
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"

[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "200ms"
timeout = "200ms"
rise = 2
fall = 2

[probe.sleeper]
type = "exec"
command = ["sh", "-c", "sleep 30 & sleep 30"]
interval = "500ms"
timeout = "300ms"
rise = 1
fall = 1

[probe.silent]
type = "http"
url = "http://127.0.0.1:8081/"
interval = "500ms"
timeout = "300ms"
rise = 1
fall = 1

[service.web]
port = 80
probes = ["nginx"]

[service.slow-exec]
port = 81
probes = ["sleeper"]

[service.slow-http]
port = 82
probes = ["silent"]
CONF
"$RSAGENT" check-config -c "$TMP/rsagent.toml"

start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
H=http://127.0.0.1:9480
curl_status() { ip netns exec "$NS" curl -s $H/status; }

wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
pass "web UP after rise (${WAITED_MS} ms after the agent answered)"

# Hung probes: DOWN; /health names the probe in fixed words, /status says
# it timed out.
timed_out() {  # SERVICE PROBE
  ip netns exec "$NS" curl -s -D - -o /dev/null $H/health/"$1" | tr -d '\r' |
    grep -qi "^X-Rsagent-Reason: probe $2 down\$" &&
    curl_status | python3 -c "import json,sys
s = {x['name']: x for x in json.load(sys.stdin)['services']}
sys.exit('timed out after 300ms' not in s['$1']['reason'])"
}
wait_until 3 timed_out slow-exec sleeper || fail "slow-exec not DOWN with a timeout: $(curl_status)"
wait_until 3 timed_out slow-http silent || fail "slow-http not DOWN with a timeout: $(curl_status)"
pass "hung exec and hung http probes are DOWN with a timeout reason"

# /health keeps answering promptly while two probes hang: worst of 40 checks.
worst=0
for _ in $(seq 40); do
  t=$(ip netns exec "$NS" curl -s -o /dev/null -m 2 -w '%{time_total}' $H/health/web)
  worst=$(python3 -c "print(max($worst, $t))")
done
log "worst /health/web latency over 40 checks while probes hang: ${worst}s"
python3 -c "import sys; sys.exit(0 if $worst < 0.5 else 1)" || fail "/health slow: ${worst}s"
pass "/health answers promptly while probes hang"

# The exec probe's whole process group dies at its timeout: no sleeper
# survives for long in the namespace.
sleep 1
leftover=$(for p in $(ip netns pids "$NS"); do ps -o comm= -p "$p"; done | grep -c '^sleep$' || true)
((leftover <= 2)) || fail "$leftover sleep processes left: process group not killed"
pass "exec probe kills its process group on timeout ($leftover in flight)"

# nginx killed -> 503 within fall x interval + timeout = 600 ms (+ slack).
t0=$(now_ms)
kill_nginx
wait_until 5 http_is "$NS" $H/health/web 503 || fail "web still UP after nginx died"
detect=$(($(now_ms) - t0))
log "nginx killed -> /health/web 503 in ${detect} ms (bound fall*interval+timeout = 600 ms)"
((detect < 3000)) || fail "detection took ${detect} ms"
reason=$(ip netns exec "$NS" curl -s -D - -o /dev/null $H/health/web | tr -d '\r' | grep -i '^X-Rsagent-Reason' || true)
grep -qi '^X-Rsagent-Reason: probe nginx down$' <<<"$reason" || fail "no reason header: $reason"
pass "nginx death detected in ${detect} ms ($reason)"

# nginx back -> UP after rise.
start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
t0=$(now_ms)
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web not UP after nginx restart"
log "nginx restarted -> /health/web 200 in $(($(now_ms) - t0)) ms (rise 2 x 200 ms)"
pass "web UP again after rise"

# Metrics show the transitions.
metrics=$(ip netns exec "$NS" curl -s $H/metrics)
grep -q '^rsagent_probe_transitions_total{probe="nginx",type="http"} [3-9]' <<<"$metrics" ||
  fail "transitions not counted: $(grep transitions <<<"$metrics")"

# SIGTERM: everything answers DOWN at once, the agent stays for the grace
# period (2 s), then exits 0.
t0=$(now_ms)
kill -TERM "$AGENT_PID"
wait_until 2 http_is "$NS" $H/health/web 503 || fail "not DOWN after SIGTERM"
pass "SIGTERM: DOWN within ${WAITED_MS} ms"
rc=0
wait "$AGENT_PID" || rc=$?
elapsed=$(($(now_ms) - t0))
((rc == 0)) || fail "agent exited $rc"
((elapsed >= 1800 && elapsed < 6000)) || fail "grace not honoured: exited after ${elapsed} ms"
pass "SIGTERM: exited 0 after ${elapsed} ms (grace 2 s)"

# A second SIGTERM during the grace period exits at once.
start_bg "$NS" "$TMP/agent2.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
wait_until 5 http_is "$NS" $H/health/web 200 || fail "second agent never UP"
t0=$(now_ms)
kill -TERM "$AGENT_PID"
sleep 0.3
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || true
elapsed=$(($(now_ms) - t0))
((elapsed < 1500)) || fail "second SIGTERM did not exit at once (${elapsed} ms)"
pass "second SIGTERM exits at once (${elapsed} ms)"
