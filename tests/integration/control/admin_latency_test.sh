#!/usr/bin/env bash
# Admin commands are never held up by a probe in flight or by other clients
# (issue 12, item 6). With an exec probe running `sleep 20`:
# - `rsagent reload` answers at once and is applied (before: timed out after
#   10 s, applied 18 s later: the old runner was joined under the lock);
# - 10 silent clients do not delay `drain` (before: served one at a time,
#   2 s each, so drain timed out and ran 20 s later);
# - SIGTERM exits after shutdown_grace, not after the probe (before: 8 s).
# Prints each latency; asserts only generous bounds.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd curl python3
make_tmp
make_ns alat NS

start_tcp_acceptor "$NS" 8080
write_config() {  # SLEEP_SECONDS
  write_agent_config "$TMP/rsagent.toml" "$TMP/state" "$TMP/run/control.sock" web "
[probe.slow]
type = \"exec\"
command = [\"/bin/sleep\", \"$1\"]
interval = \"25s\"
timeout = \"24s\"

[service.batch]
port = 81
probes = [\"slow\"]"
  sed -i 's/^shutdown_grace = .*/shutdown_grace = "1s"/' "$TMP/rsagent.toml"
}
write_config 20
ctl() { ip netns exec "$NS" "$RSAGENT" "$@" -c "$TMP/rsagent.toml"; }
H=http://127.0.0.1:9480

start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
sleeping() {  # SECONDS: the exec probe's `sleep SECONDS` runs in NS
  local pid
  for pid in $(ip netns pids "$NS"); do
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == "/bin/sleep $1 " ]] && return 0
  done
  return 1
}
wait_until 10 sleeping 20 || fail "the exec probe never started"

write_config 21
t0=$(now_ms)
ctl reload >"$TMP/reload.out" 2>&1 || fail "reload failed: $(cat "$TMP/reload.out")"
reload_ms=$(($(now_ms) - t0))
log "reload with a probe in flight: ${reload_ms} ms"
((reload_ms < 3000)) || fail "reload took ${reload_ms} ms: it waited for the probe in flight"
wait_until 10 sleeping 21 || fail "the changed probe did not start"
pass "reload answers in ${reload_ms} ms with sleep 20 in flight, and is applied"

# 10 silent clients hold connections open without sending a byte.
start_bg "$NS" "$TMP/silent.log" python3 -c '
import socket, sys, time
held = []
for _ in range(10):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); held.append(s)
print("ready", flush=True)
time.sleep(60)
' "$TMP/run/control.sock"
SILENT_PID=$BG_PID
wait_until 5 grep -q ready "$TMP/silent.log" || fail "silent clients: $(cat "$TMP/silent.log")"
t0=$(now_ms)
ctl drain web || fail "drain failed behind 10 silent clients"
drain_ms=$(($(now_ms) - t0))
log "drain behind 10 silent clients: ${drain_ms} ms"
http_is "$NS" $H/health/web 503 || fail "drain not applied"
((drain_ms < 3000)) || fail "drain took ${drain_ms} ms behind silent clients"
pass "drain behind 10 silent clients: ${drain_ms} ms"
kill "$SILENT_PID"

wait_until 10 sleeping 21 || true
t0=$(now_ms)
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
term_ms=$(($(now_ms) - t0))
log "SIGTERM to exit with shutdown_grace 1s and a probe in flight: ${term_ms} ms"
((term_ms < 3500)) || fail "SIGTERM took ${term_ms} ms (grace 1 s)"
pass "SIGTERM exits in ${term_ms} ms (grace 1 s) with the probe in flight"
