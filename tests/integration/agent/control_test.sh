#!/usr/bin/env bash
# The control socket against a running agent in its own namespace: drain and
# maint turn the service DOWN (reason, since-when in /status and /metrics),
# the override survives kill -9 and a restart, undrain ends it; a non-root
# caller is refused; reload applies a valid change without flapping the
# unchanged service and returns an invalid change's errors, the old config
# still serving.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd curl python3 setpriv
make_tmp
make_ns ctl NS

start_tcp_acceptor "$NS" 8080

SOCK="$TMP/run/control.sock"
write_config() { write_agent_config "$TMP/rsagent.toml" "$TMP/state" "$SOCK" web "$1"; }
write_config ""

start_agent() {
  start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
  AGENT_PID=$BG_PID
}
ctl() { ip netns exec "$NS" "$RSAGENT" "$@" -c "$TMP/rsagent.toml"; }
H=http://127.0.0.1:9480
json() {  # PATH PYTHON-EXPR over the parsed /status as s
  ip netns exec "$NS" curl -s "$H/status" | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"
}

start_agent
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
[[ $(stat -c %a "$SOCK") == 600 && $(stat -c %a "$TMP/run") == 750 ]] ||
  fail "socket/dir modes: $(stat -c '%a %U' "$SOCK" "$TMP/run")"
pass "control socket 0600 in a 0750 directory"

ctl status | tee "$TMP/status.txt" >&2
grep -qE '^web +UP' "$TMP/status.txt" || fail "status table has no 'web UP' row"
[[ $(ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["services"][0]["up"])') == True ]] ||
  fail "status --json"
pass "status as a table and as JSON"

# Non-root: refused, with a message that says why.
if out=$(ip netns exec "$NS" setpriv --reuid 65534 --regid 65534 --clear-groups \
  "$RSAGENT" drain web -c "$TMP/rsagent.toml" 2>&1); then
  fail "uid 65534 could drain: $out"
fi
echo "$out" >&2
grep -q "root" <<<"$out" || fail "refusal does not say root only: $out"
http_is "$NS" $H/health/web 200 || fail "a refused drain changed the verdict"
pass "uid 65534 refused by the socket's mode"

# Even with the modes opened up, the agent checks the peer's uid itself.
chmod 755 "$TMP/run" && chmod 666 "$SOCK"
out=$(ip netns exec "$NS" setpriv --reuid 65534 --regid 65534 --clear-groups \
  "$RSAGENT" drain web -c "$TMP/rsagent.toml" 2>&1) && fail "uid 65534 could drain via an open socket: $out"
chmod 750 "$TMP/run" && chmod 600 "$SOCK"
echo "$out" >&2
grep -q "you are uid 65534" <<<"$out" || fail "peer-credential refusal: $out"
http_is "$NS" $H/health/web 200 || fail "a refused drain changed the verdict"
pass "uid 65534 refused by the peer-credential check"

t0=$(now_ms)
ctl drain web
http_is "$NS" $H/health/web 503 || fail "drained web still 200"
log "drain -> 503 in $(($(now_ms) - t0)) ms (including the CLI)"
[[ $(json 's["services"][0]["admin"]["state"]') == drain ]] || fail "/status admin state"
[[ -n $(json 's["services"][0]["admin"]["since"]') ]] || fail "/status admin since empty"
grep -q drain <<<"$(json 's["services"][0]["reason"]')" || fail "reason does not say drain"
# Not `curl | grep -q`: grep quits at the match, curl dies of SIGPIPE while
# still writing the rest, and pipefail fails the line although it matched.
grep -q 'rsagent_service_admin_state{service="web",state="drain"} 1' <<<"$(ip netns exec "$NS" curl -s $H/metrics)" ||
  fail "/metrics has no drain gauge"
ctl status | grep -qE '^web +DOWN .*drain since' || fail "status table shows no drain"
pass "drain: 503, reason and since in /status, /metrics and status"

ctl maint web
[[ $(json 's["services"][0]["admin"]["state"]') == maint ]] || fail "maint not shown"
since_before=$(json 's["services"][0]["admin"]["since"]')

kill -9 "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["overrides"]["web"]["state"]=="maint"' \
  "$TMP/state/overrides.json" || fail "overrides file: $(cat "$TMP/state/overrides.json")"
start_agent
wait_until 5 http_is "$NS" $H/health/web 503 || fail "restarted agent not answering"
# Several probe rounds: the override must hold although the probe passes.
sleep 0.5
http_is "$NS" $H/health/web 503 || fail "maint lost after kill -9 + restart"
[[ $(json 's["services"][0]["admin"]["since"]') == "$since_before" ]] || fail "since-when changed over the restart"
grep -q 'stays in maint' "$TMP/agent.log" || fail "restart does not log the restored override"
pass "maint survives kill -9 and restart, since-when kept"

ctl undrain --all
wait_until 3 http_is "$NS" $H/health/web 200 || fail "undrain did not restore web"
pass "undrain --all ends maint (${WAITED_MS} ms)"

ctl drain nosuch 2>"$TMP/err.txt" && fail "drain of an unknown service succeeded"
grep -q 'unknown service "nosuch"' "$TMP/err.txt" || fail "unknown service message: $(cat "$TMP/err.txt")"
pass "unknown service rejected"

# Reload, valid: a new service appears; web does not flap.
transitions() { json '[x for x in s["services"] if x["name"]=="web"][0]["transitions"]'; }
before=$(transitions)
write_config '
[probe.port2]
type = "tcp"
targets = ["127.0.0.1:8080"]
interval = "100ms"
timeout = "100ms"
rise = 1
fall = 1

[service.web2]
port = 81
probes = ["port2"]'
ctl reload | tee "$TMP/reload.txt" >&2
wait_until 3 http_is "$NS" $H/health/web2 200 || fail "web2 not UP after reload"
http_is "$NS" $H/health/web 200 || fail "web not UP after reload"
[[ $(transitions) == "$before" ]] || fail "web transitions $before -> $(transitions): it flapped"
pass "valid reload applied, web transitions unchanged ($before)"

# Reload, invalid: errors come back to the caller; the old config serves.
write_config '
[service.web3]
port = "eighty"
probes = ["port"]
bogus = 1'

if ctl reload 2>"$TMP/reload-err.txt"; then fail "invalid reload succeeded"; fi
cat "$TMP/reload-err.txt" >&2
grep -q "rsagent.toml:[0-9]*:[0-9]*: .*port" "$TMP/reload-err.txt" || fail "reload errors lack FILE:LINE:COL"
grep -q "bogus" "$TMP/reload-err.txt" || fail "reload returned only the first error"
grep -q "rejected" "$TMP/reload-err.txt" || fail "reload does not say rejected"
http_is "$NS" $H/health/web2 200 || fail "old config no longer serving web2"
pass "invalid reload rejected with its errors; the old config still serves"

# SIGHUP takes the same path.
write_config '
[service.web3]
port = 83
probes = ["port"]'
kill -HUP "$AGENT_PID"
wait_until 3 http_is "$NS" $H/health/web3 200 || fail "SIGHUP did not apply the fixed config"
pass "SIGHUP reload applied (${WAITED_MS} ms to web3 UP)"

# A corrupt overrides file: the agent refuses to start and names the file.
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
write_config ""
echo '{"version":1,"overrides":' >"$TMP/state/overrides.json"
if ip netns exec "$NS" timeout 5 "$RSAGENT" run -c "$TMP/rsagent.toml" >"$TMP/corrupt.log" 2>&1; then
  fail "started with a corrupt overrides file"
fi
grep -q "overrides.json" "$TMP/corrupt.log" || fail "corrupt-file error: $(cat "$TMP/corrupt.log")"
pass "corrupt overrides file: refuses to start, names the file"
