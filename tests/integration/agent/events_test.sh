#!/usr/bin/env bash
# Verdict events in the agent's log (issue 14) against a real nginx: each
# state change is exactly one line saying from, to, for how long and why;
# nothing per attempt; admin actions, reloads and shutdown steps one line
# each. Text lines off journald carry an RFC 3339 timestamp with zone. Then
# log_format = "json": every line of a run parses as one ECS object, and a
# probe flapping 5 times a second is bounded by the flood limit (the numbers
# are printed: transitions vs lines).
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nginx curl python3
make_tmp
make_ns ev NS
H=http://127.0.0.1:9480

start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080

write_config() {  # FORMAT [EXTRA]
  cat >"$TMP/rsagent.toml" <<CONF
[agent]
listen = "127.0.0.1:9480"
shutdown_grace = "1s"
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
log_format = "$1"

[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "200ms"
timeout = "200ms"
rise = 2
fall = 2

[service.web]
port = 80
probes = ["nginx"]
${2:-}
CONF
}

# The log's lines after the first $MARK, without the timestamp.
MARK=0
new_lines() {
  tail -n +$((MARK + 1)) "$TMP/agent.log" | sed -E 's/^[0-9T:.+-]+ //'
}
mark() { MARK=$(wc -l <"$TMP/agent.log"); }
# expect_lines REGEX...: the new lines are exactly these, in this order.
expect_lines() {
  local got
  got=$(new_lines)
  python3 - "$got" "$@" <<'PY' || fail "log lines differ from the expected ones:
$got"
import re, sys
got = [l for l in sys.argv[1].split("\n") if l]
want = sys.argv[2:]
if len(got) != len(want):
    sys.exit(f"{len(got)} lines, expected {len(want)}")
for g, w in zip(got, want):
    if not re.fullmatch(w, g):
        sys.exit(f"line {g!r} does not match {w!r}")
PY
  mark
}
D='[0-9.]+(ms|s)|[0-9]+m[0-9]+s'  # an elapsed time

# --- text ------------------------------------------------------------------
write_config text
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
sleep 0.5
head -1 "$TMP/agent.log" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2} ' ||
  fail "no RFC 3339 timestamp with zone: $(head -1 "$TMP/agent.log")"
expect_lines \
  "info rsagent [0-9.]+: serving health on 127.0.0.1:9480 \(1 probes, 1 services, config .*\)" \
  "info probe nginx DOWN -> UP \(was DOWN for ($D)\): HTTP 200.*" \
  "info service web DOWN -> UP \(was DOWN for ($D)\): all checks pass"
pass "start: one line, then probe and service DOWN -> UP"

sleep 2  # ten passing attempts: no line
expect_lines
pass "nothing per attempt"

kill_nginx
wait_until 5 http_is "$NS" $H/health/web 503 || fail "web still UP after nginx died"
sleep 0.5
expect_lines \
  "warning probe nginx UP -> DOWN \(was UP for ($D)\): .*(refused|connect|no listener).*" \
  "warning service web UP -> DOWN \(was UP for ($D)\): probe nginx: .*(refused|connect|no listener).*"
pass "nginx killed: two lines, UP -> DOWN with the reason"

sleep 2
expect_lines
start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web not UP after nginx restart"
sleep 0.5
expect_lines \
  "info probe nginx DOWN -> UP \(was DOWN for (2\.[0-9]s|[3-9]\.[0-9]s)\): HTTP 200.*" \
  "info service web DOWN -> UP \(was DOWN for (2\.[0-9]s|[3-9]\.[0-9]s)\): all checks pass"
pass "nginx back: two lines, DOWN for as long as it was down"

ip netns exec "$NS" "$RSAGENT" drain web -c "$TMP/rsagent.toml" >/dev/null
ip netns exec "$NS" "$RSAGENT" drain web -c "$TMP/rsagent.toml" >/dev/null  # no change: no line
ip netns exec "$NS" "$RSAGENT" undrain web -c "$TMP/rsagent.toml" >/dev/null
expect_lines \
  "info service web UP -> DOWN \(was UP for ($D)\): drain" \
  "info admin: service web none -> drain: rsagent drain web" \
  "info service web DOWN -> UP \(was DOWN for ($D)\): all checks pass" \
  "info admin: service web drain -> none \(was drain for ($D)\): rsagent undrain web"
pass "drain and undrain: one admin line each, the verdict change once"

kill -HUP "$AGENT_PID"
wait_until 3 grep -q "reload" "$TMP/agent.log"
sleep 0.3
expect_lines "info reload: reloaded $TMP/rsagent.toml: 1 probes, 1 services"
cp "$TMP/rsagent.toml" "$TMP/good.toml"
printf '[probe.bad]\ntype = "tcp"\n' >>"$TMP/rsagent.toml"
kill -HUP "$AGENT_PID"
wait_until 3 grep -q "rejected" "$TMP/agent.log"
sleep 0.3
expect_lines "error reload: rejected, keeping the running config: .*rsagent.toml:.*targets.*"
pass "reload: one line, accepted or rejected with every error on it"

kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "agent exited $?"
expect_lines \
  "info service web UP -> DOWN \(was UP for ($D)\): shutting down" \
  "info shutdown: answering DOWN for 1s so the directors drain this node .*" \
  "info shutdown: stopped"
pass "shutdown: one line per step"

# --- json, and a flapping probe ----------------------------------------------
cp "$TMP/good.toml" "$TMP/rsagent.toml"
write_config json '
[probe.flappy]
type = "exec"
command = ["sh", "-c", "test $(( $(date +%s%N) / 200000000 % 2 )) = 0"]
interval = "100ms"
timeout = "100ms"
rise = 1
fall = 1

[service.flappy]
port = 81
probes = ["flappy"]'
: >"$TMP/agent.log"
MARK=0
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP (json): $(cat "$TMP/agent.log")"
kill_nginx
wait_until 5 http_is "$NS" $H/health/web 503 || fail "web still UP after nginx died (json)"
sleep 8  # the exec probe flips every 200 ms
transitions=$(ip netns exec "$NS" curl -s $H/metrics |
  sed -nE 's/^rsagent_probe_transitions_total\{probe="flappy"[^}]*\} ([0-9]+)$/\1/p')
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "agent exited $?"

python3 - "$TMP/agent.log" "$transitions" <<'PY' || fail "json log: $(head -c 3000 "$TMP/agent.log")"
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b"", "the log does not end with a newline"
events = []
for n, raw in enumerate(lines[:-1], 1):
    obj = json.loads(raw)  # raises on any line that is not one JSON object
    for key in ("@timestamp", "log.level", "message", "service.name"):
        assert key in obj, f"line {n} lacks {key}: {obj}"
    assert obj["service.name"] == "rsagent"
    events.append(obj)
web = [e for e in events if e.get("rsagent.service") == "web"
       and e.get("event.action") == "service-state-change"]
assert [(e["rsagent.from"], e["rsagent.to"]) for e in web] == [("DOWN", "UP"), ("UP", "DOWN"), ("UP", "DOWN")][:len(web)] and len(web) >= 2, web
assert web[1]["log.level"] == "warn" and "nginx" in web[1]["rsagent.reason"], web[1]
assert web[1]["rsagent.previous_state_seconds"] > 0, web[1]
flappy = [e for e in events if e.get("rsagent.probe") == "flappy"]
transitions = int(sys.argv[2])
print(f"{len(lines) - 1} JSON lines, all parse; flapping probe: {transitions} transitions in "
      f"~9 s -> {len(flappy)} probe lines (flood bound: 8 at once, then 1 per 30 s)")
assert transitions >= 20, f"the probe did not flap enough: {transitions}"
assert len(flappy) <= 10, f"{len(flappy)} lines for the flapping probe: not bounded"
assert any(e.get("rsagent.suppressed") for e in events) or len(flappy) <= 9
PY
pass "json: every line parses; a flapping probe is bounded"
