#!/usr/bin/env bash
# conf/examples/keepalived-web-misc-dynamic.conf passes `keepalived -t`
# silently (script security on), and rsagent-check, the MISC_CHECK it runs,
# exits as keepalived's misc_dynamic rules need against a real agent and a
# real nginx in a namespace: weight + 2 while UP, 2 (alive at weight 0) while
# drained, 1 when nginx is down, the service unknown or the agent gone.
# (The weight seen changing in IPVS: the lab, tests/lab/guest/drills.sh.)
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd keepalived nginx curl
make_tmp
CHECK="$RSAGENT_BUILD_DIR/check/rsagent-check"
[[ -x $CHECK ]] || fail "no rsagent-check at $CHECK"

# keepalived's script security wants no directory on the path writable by
# others: a root-owned copy outside /tmp's sticky directory tree would be
# ideal; $TMP is 0755 and root's, /tmp is sticky, which keepalived accepts.
mkdir -m 755 "$TMP/bin"
install -m 755 "$CHECK" "$TMP/bin/rsagent-check"
EXAMPLE="$RSAGENT_SOURCE_DIR/conf/examples/keepalived-web-misc-dynamic.conf"
sed "s#/usr/bin/rsagent-check#$TMP/bin/rsagent-check#" "$EXAMPLE" >"$TMP/k.conf"
grep -q "$TMP/bin/rsagent-check 192.168.1.10:9480 web" "$TMP/k.conf" ||
  fail "the example changed: its misc_path is not /usr/bin/rsagent-check ADDRESS:9480 web"
rc=0
out=$(keepalived -t -f "$TMP/k.conf" -p "$TMP/k.pid" -r "$TMP/v.pid" -c "$TMP/c.pid" 2>&1) || rc=$?
((rc == 0)) && [[ -z $out ]] || fail "keepalived -t: exit $rc: $out"
grep -q '^ *misc_dynamic$' "$EXAMPLE" || fail "the example has no misc_dynamic"
pass "keepalived -t accepts the misc_dynamic example silently"

lab_switch
lab_host dir 192.168.1.2
lab_host web1 192.168.1.10
d="$TMP/web1"
start_nginx "${LAB_NS[web1]}" "$d" 127.0.0.1:80
cat >"$d/rsagent.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
state_dir = "$d/state"
control_socket = "$d/run/control.sock"
shutdown_grace = "0s"

[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
interval = "200ms"
timeout = "200ms"
rise = 1
fall = 1

[service.web]
port = 80
probes = ["nginx"]
weight = 50
CONF
start_bg "${LAB_NS[web1]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
AGENT=$BG_PID
check() {  # SERVICE -> rsagent-check's exit code, run on the director
  local rc=0
  lab_exec dir "$CHECK" 192.168.1.10:9480 "$1" 1000 2>>"$TMP/check.err" || rc=$?
  echo "$rc"
}
exit_is() { [[ $(check "$1") == "$2" ]]; }

wait_until 10 exit_is web 52 || fail "UP at weight 50: exit $(check web), not 52; $(tail -3 "$TMP/check.err")"
pass "UP at weight 50: exit 52"
lab_exec web1 "$RSAGENT" drain web -c "$d/rsagent.toml" >/dev/null
exit_is web 2 || fail "drained: exit $(check web), not 2 (alive at weight 0)"
lab_exec web1 "$RSAGENT" undrain web -c "$d/rsagent.toml" >/dev/null
wait_until 5 exit_is web 52 || fail "undrained: exit $(check web), not 52"
pass "drained: exit 2 (weight 0, still in the pool); undrained: 52 again"
kill_nginx
wait_until 5 exit_is web 1 || fail "nginx down: exit $(check web), not 1"
grep -q 'DOWN 503' "$TMP/check.err" || fail "no reason on stderr: $(cat "$TMP/check.err")"
exit_is nope 1 || fail "unknown service: exit $(check nope), not 1"
# keepalived SIGTERMs a check past misc_timeout; rsagent-check must exit 1
# then rather than die of it (keepalived 2.2.7 corrupts the weight of a
# check killed by a signal: conf/examples/keepalived-web-misc-dynamic.conf).
# A listener that never answers holds the check until the signal.
start_bg "${LAB_NS[web1]}" "$TMP/mute.log" python3 -c '
import socket, time
s = socket.socket()
s.bind(("0.0.0.0", 9481))
s.listen(8)
time.sleep(60)'
MUTE=$BG_PID
wait_until 5 bash -c "ip netns exec ${LAB_NS[web1]} ss -ltnH 'sport = :9481' | grep -q LISTEN" ||
  fail "the mute listener did not start: $(cat "$TMP/mute.log")"
ip netns exec "${LAB_NS[dir]}" "$CHECK" 192.168.1.10:9481 web 20000 2>"$TMP/term.err" &
check_pid=$!
sleep 0.5
kill -TERM "$check_pid"
rc=0
wait "$check_pid" || rc=$?
((rc == 1)) || fail "SIGTERM: exit $rc, not 1 (143 is death by the signal)"
grep -q "SIGTERM (keepalived's misc_timeout): exit 1, DOWN" "$TMP/term.err" ||
  fail "no reason on stderr: $(cat "$TMP/term.err")"
kill -9 "$MUTE"
pass "SIGTERM (keepalived's misc_timeout) mid-check: exit 1 with the reason, not death by the signal"
kill -9 "$AGENT"
wait "$AGENT" 2>/dev/null || true
exit_is web 1 || fail "agent gone: exit $(check web), not 1"
pass "nginx down, unknown service, agent gone: exit 1 with the reason on stderr"
