#!/usr/bin/env bash
# Probe text is outside input (issue 12): an exec probe printing "x" + 150
# "ü" (cut inside a character), Latin-1, CR/ESC/BEL, and a probed HTTP server
# answering "junk\nX-Injected: yes\n\n...". Against the real binary: /status
# and `rsagent status` keep answering with valid UTF-8 and no control
# characters, /health carries only the fixed cause words (no forged header,
# no probe text), and the agent stays alive throughout.
source "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd curl python3
make_tmp
make_ns hostile NS

# The hostile HTTP server: whatever is asked, raw junk with a forged header.
start_bg "$NS" "$TMP/junk.log" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8081)); s.listen(64)
while True:
    c = s.accept()[0]
    try:
        c.recv(4096)
        c.sendall(b"junk\nX-Injected: yes\n\n<html>\x1b[2J\xfc secret row</html>")
    except OSError:
        pass
    c.close()
'

cat >"$TMP/rsagent.toml" <<CONF
[agent]
listen = "127.0.0.1:9480"
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
shutdown_grace = "0s"

[probe.utf8cut]
type = "exec"
shell = true
command = "printf x; for i in \$(seq 150); do printf '\\\\303\\\\274'; done; exit 1"
interval = "500ms"
timeout = "400ms"
rise = 1
fall = 1

[probe.latin1]
type = "exec"
shell = true
command = "printf '\\\\374ber \\\\351t\\\\351\\\\n'; exit 1"
interval = "500ms"
timeout = "400ms"
rise = 1
fall = 1

[probe.controls]
type = "exec"
shell = true
command = "printf 'a\\\\rX-Injected: cr\\\\033[2J\\\\033]0;title\\\\007 bel\\\\n'; exit 1"
interval = "500ms"
timeout = "400ms"
rise = 1
fall = 1

[probe.junk]
type = "http"
url = "http://127.0.0.1:8081/"
interval = "500ms"
timeout = "400ms"
rise = 1
fall = 1

[service.cut]
port = 1
probes = ["utf8cut"]

[service.latin]
port = 2
probes = ["latin1"]

[service.ctl]
port = 3
probes = ["controls"]

[service.web]
port = 80
probes = ["junk"]
CONF
"$RSAGENT" check-config -c "$TMP/rsagent.toml"

start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
AGENT_PID=$BG_PID
H=http://127.0.0.1:9480
alive() { kill -0 "$AGENT_PID" 2>/dev/null || fail "agent died: $(tail -20 "$TMP/agent.log")"; }

# Every probe has reported (attempts > 0) before we look.
all_reported() {
  ip netns exec "$NS" curl -sf $H/status | python3 -c '
import json, sys
s = json.load(sys.stdin)
sys.exit(not all(p["attempts"] > 0 for p in s["probes"]))'
}
wait_until 10 all_reported || fail "probes never reported: $(tail -20 "$TMP/agent.log")"

# Text is safe: valid UTF-8 (a strict decode), no C0/DEL/C1 anywhere but the
# line ends of the document itself.
check_safe() {  # FILE WHAT
  python3 - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(f"{sys.argv[2]}: not UTF-8: {e}")
bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f]
if bad:
    sys.exit(f"{sys.argv[2]}: control characters {bad!r}")
PY
}

for round in 1 2 3 4 5; do
  ip netns exec "$NS" curl -sf -o "$TMP/status.json" $H/status || fail "/status failed (round $round)"
  alive
  check_safe "$TMP/status.json" "/status" || fail "/status unsafe"
  ip netns exec "$NS" "$RSAGENT" status -c "$TMP/rsagent.toml" >"$TMP/status.txt" ||
    fail "rsagent status failed: $(cat "$TMP/status.txt")"
  check_safe "$TMP/status.txt" "rsagent status" || fail "rsagent status unsafe"
  ip netns exec "$NS" "$RSAGENT" status --json -c "$TMP/rsagent.toml" >"$TMP/status-cli.json" ||
    fail "rsagent status --json failed"
  check_safe "$TMP/status-cli.json" "rsagent status --json" || fail "status --json unsafe"
  ip netns exec "$NS" curl -sf -o "$TMP/metrics.txt" $H/metrics || fail "/metrics failed"
  sleep 0.3
done
alive
cat "$TMP/status.txt" >&2
pass "/status, /metrics, rsagent status (table and JSON) answer 5 times, valid UTF-8, no control characters"

python3 - "$TMP/status.json" <<'PY' || fail "/status reasons"
import json, sys
s = json.load(open(sys.argv[1]))
p = {x["name"]: x for x in s["probes"]}
cut = p["utf8cut"]["reason"]
assert cut.startswith("exit 1: x\u00fc\u00fc"), cut
assert len(cut.encode()) <= 256, len(cut.encode())
assert p["latin1"]["reason"] == "exit 1: \ufffdber \ufffdt\ufffd", p["latin1"]["reason"]
assert "\\r" in p["controls"]["reason"] and "\\x1b" in p["controls"]["reason"], p["controls"]["reason"]
assert "\\x07" in p["controls"]["reason"], p["controls"]["reason"]
assert not p["junk"]["last"]["ok"], p["junk"]
print("reasons:", {k: v["reason"] for k, v in p.items()})
PY
pass "/status keeps the full reasons, escaped and valid"

# /health: only fixed words, never the probed server's or the script's text.
for svc in cut latin ctl web ""; do
  path=/health${svc:+/$svc}
  ip netns exec "$NS" curl -s -D "$TMP/headers" -o "$TMP/body" $H$path
  [[ $(cat "$TMP/body") == DOWN ]] || fail "$path body: $(cat "$TMP/body")"
  grep -qi '^X-Injected' "$TMP/headers" && fail "$path: forged header: $(cat "$TMP/headers")"
  reason=$(tr -d '\r' <"$TMP/headers" | sed -n 's/^X-Rsagent-Reason: //Ip')
  log "$path: X-Rsagent-Reason: $reason"
  python3 - "$reason" <<'PY' || fail "$path: X-Rsagent-Reason is not fixed vocabulary: $reason"
import re, sys
word = r"(probe [A-Za-z0-9_-]+( \((writer|reader)\))? (down|stale)|drain|maint|vip missing|vip unknown|arp not suppressed|shutting down)"
causes = rf"{word}(; {word})*"
sys.exit(not re.fullmatch(rf"({causes}|[A-Za-z0-9_-]+: {causes}(; [A-Za-z0-9_-]+: {causes})*)", sys.argv[1]))
PY
done
pass "/health answers DOWN with fixed cause words only, no forged header"

# The one-shot probe command prints the same safe text.
ip netns exec "$NS" "$RSAGENT" probe controls -c "$TMP/rsagent.toml" >"$TMP/probe.txt" || true
check_safe "$TMP/probe.txt" "rsagent probe" || fail "rsagent probe output unsafe: $(cat -v "$TMP/probe.txt")"
alive
pass "agent alive after all of it"

# The same text in the log (issue 14): with log_format = "json" a probe that
# passes, then fails printing quotes, a backslash, a newline, CR/ESC/BEL,
# Latin-1 and a cut UTF-8 sequence, logs its UP -> DOWN events with that
# reason; every line of the run is one JSON object of valid UTF-8.
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "agent exited $?"
cat >"$TMP/json.toml" <<'CONF'
[agent]
listen = "127.0.0.1:9480"
state_dir = "@TMP@/state"
control_socket = "@TMP@/control.sock"
shutdown_grace = "0s"
log_format = "json"

[probe.evil]
type = "exec"
shell = true
command = '''test -e @TMP@/fail || exit 0; printf 'q"uote\\back\r\033[2J\007 \374 \303 \303\274"}{\nX-Injected: nl'; exit 1'''
interval = "500ms"
timeout = "400ms"
rise = 1
fall = 1

[service.evil]
port = 4
probes = ["evil"]
CONF
sed -i "s|@TMP@|$TMP|g" "$TMP/json.toml"
"$RSAGENT" check-config -c "$TMP/json.toml"
start_bg "$NS" "$TMP/json.log" "$RSAGENT" run -c "$TMP/json.toml"
AGENT_PID=$BG_PID
wait_until 5 http_is "$NS" $H/health/evil 200 || fail "evil never UP: $(cat "$TMP/json.log")"
touch "$TMP/fail"
wait_until 5 http_is "$NS" $H/health/evil 503 || fail "evil still UP with the flag"
sleep 0.5
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "agent exited $?"
python3 - "$TMP/json.log" <<'PY' || fail "json log under hostile reasons: $(cat -v "$TMP/json.log")"
import json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\n"), "the log does not end with a newline"
lines = raw.split(b"\n")[:-1]
events = [json.loads(l.decode("utf-8", "strict")) for l in lines]  # raises on a broken line
down = [e for e in events if e.get("rsagent.to") == "DOWN" and e.get("rsagent.from") == "UP"]
assert {e.get("event.action") for e in down} >= {"probe-state-change", "service-state-change"}, down
for e in down:
    reason = e["rsagent.reason"]
    assert 'q"uote\\back' in reason and "\ufffd" in reason, reason
    assert not any(ord(c) < 0x20 for c in reason), repr(reason)
    assert "X-Injected" not in reason and '"}{' in reason, repr(reason)
print(f"{len(lines)} lines, all JSON; UP -> DOWN reasons: {[e['rsagent.reason'] for e in down]}")
PY
pass "json log: every line parses, hostile reasons stay inside their field"
