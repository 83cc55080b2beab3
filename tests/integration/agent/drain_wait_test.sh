#!/usr/bin/env bash
# `rsagent drain web --wait`: a client holds keep-alive connections to the
# VIP on a real nginx; the wait returns only after the last one has closed
# (exit 0), and with --timeout it lists the ones still open (exit 1). The
# agent's status and /metrics show the live count (rsagent_service_connections).
# A client that vanishes mid-download (nginx retransmitting to it, nothing
# heard back) does not hold the wait: it is named, and the wait returns.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nginx curl python3
make_tmp

VIP=192.168.1.100
lab_switch
lab_host client 192.168.1.50
lab_host web1 192.168.1.11
# DR without a director: the client routes the VIP to web1's real address.
ip -n "${LAB_NS[client]}" route add "$VIP/32" via 192.168.1.11

d="$TMP/web1"
write_nginx_conf "$d" "
    listen 80;
    keepalive_timeout 300s;
    keepalive_requests 1000;
    location = / { return 200 \"web1\\n\"; }
    location = /big { root $d/www; }"
# A sparse file: a download that lasts, for the client that vanishes (4.).
mkdir -p "$d/www"
truncate -s 1G "$d/www/big"
start_bg "${LAB_NS[web1]}" "$d/stdout" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
cat >"$d/rsagent.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
allow = ["192.168.1.0/24"]
state_dir = "$d/state"
control_socket = "$d/run/control.sock"
shutdown_grace = "0s"

[vip]
addresses = ["$VIP"]

[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
interval = "200ms"
timeout = "200ms"

[service.web]
vip = "$VIP"
port = 80
probes = ["nginx"]
CONF
start_bg "${LAB_NS[web1]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
wait_until 5 http_is "${LAB_NS[client]}" "http://192.168.1.11:9480/health/web" 200 ||
  fail "web1 not UP: $(cat "$d/agent.log")"
wait_until 5 http_is "${LAB_NS[client]}" "http://$VIP/" 200 || fail "VIP does not reach nginx"
pass "web1 UP, the VIP reaches nginx"

# Holds N keep-alive connections to the VIP, each after one answered request.
# Once $2 exists it closes them one by one, $3 seconds apart, and logs each
# close in ms. Bounded: gives up after 120 s.
cat >"$TMP/hold.py" <<'PY'
import os, socket, sys, time
n, go, gap, log = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
conns = []
for _ in range(n):
    s = socket.create_connection(("192.168.1.100", 80), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: vip\r\n\r\n")
    if b"web1" not in s.recv(4096):
        sys.exit("no answer from web1")
    conns.append(s)
with open(log, "a") as f:
    f.write("open %d\n" % n)
deadline = time.time() + 120
while not os.path.exists(go):
    if time.time() > deadline:
        sys.exit("never told to close")
    time.sleep(0.01)
for s in conns:
    time.sleep(gap)
    s.close()
    with open(log, "a") as f:
        f.write("closed %d\n" % int(time.time() * 1000))
PY
metric() {
  ip netns exec "${LAB_NS[client]}" curl -s -m 2 "http://192.168.1.11:9480/metrics" |
    awk -v m="rsagent_service_connections{service=\"web\"}" '$1 == m {print $2}'
}
agent() { lab_exec web1 "$RSAGENT" "$@" -c "$d/rsagent.toml"; }

# 1. The wait returns after the last of three connections closes.
start_bg "${LAB_NS[client]}" "$TMP/hold1.out" python3 "$TMP/hold.py" 3 "$TMP/go1" 1.0 "$TMP/hold1.log"
wait_until 10 grep -q '^open 3' "$TMP/hold1.log" || fail "holder did not connect: $(cat "$TMP/hold1.out")"
# The count is sampled every 10 s unless a weight follows the load (agent/daemon.cc).
wait_until 15 bash -c "[[ \$(ip netns exec ${LAB_NS[client]} curl -s -m 2 http://192.168.1.11:9480/metrics | grep -c '^rsagent_service_connections{service=\"web\"} 3') == 1 ]]" ||
  fail "metrics do not count 3 connections: $(metric)"
agent status | grep -E '^web +DOWN|^web +UP' | grep -q ' 3 ' || fail "status shows no count of 3: $(agent status)"
pass "/metrics and status count the 3 held connections"

touch "$TMP/go1"
t0=$(now_ms)
rc=0
agent drain web --wait --timeout 30s >"$TMP/wait1.out" 2>&1 || rc=$?
t_return=$(now_ms)
cat "$TMP/wait1.out" >&2
((rc == 0)) || fail "drain --wait exited $rc"
closes=$(grep -c '^closed' "$TMP/hold1.log")
((closes == 3)) || fail "drain --wait returned with $closes of 3 connections closed"
t_last=$(awk '/^closed/{t=$2} END{print t}' "$TMP/hold1.log")
late=$((t_return - t_last))
log "drain --wait returned $((t_return - t0)) ms after the drain, $late ms after the last close"
((late >= 0)) || fail "returned before the last connection closed"
((late < 3000)) || fail "returned $late ms after the last close"
grep -q 'web: 3 connections on 192.168.1.100:80' "$TMP/wait1.out" || fail "no progress line"
grep -q 'drained: no connection left' "$TMP/wait1.out" || fail "no final line"
wait_until 15 bash -c "[[ \$(ip netns exec ${LAB_NS[client]} curl -s -m 2 http://192.168.1.11:9480/metrics | grep -c '^rsagent_service_connections{service=\"web\"} 0') == 1 ]]" ||
  fail "metrics still count connections: $(metric)"
pass "drain --wait returned after the last of 3 connections closed ($late ms later)"
echo "drain_wait_late_ms $late" >>"${RSAGENT_BENCH_OUT:-/dev/null}"

# 2. The timeout path lists what is still connected.
agent undrain web >/dev/null || fail "undrain failed"
wait_until 5 http_is "${LAB_NS[client]}" "http://192.168.1.11:9480/health/web" 200 || fail "web not UP again"
start_bg "${LAB_NS[client]}" "$TMP/hold2.out" python3 "$TMP/hold.py" 2 "$TMP/go2" 0 "$TMP/hold2.log"
wait_until 10 grep -q '^open 2' "$TMP/hold2.log" || fail "holder 2 did not connect"
rc=0
agent drain web --wait --timeout 1500ms >"$TMP/wait2.out" 2>&1 || rc=$?
cat "$TMP/wait2.out" >&2
((rc == 1)) || fail "drain --wait exited $rc on a timeout, not 1"
grep -q 'timed out after 1.5s: 2 connections still open' "$TMP/wait2.out" || fail "no timeout line"
listed=$(grep -cE '^web +192\.168\.1\.50:[0-9]+ +192\.168\.1\.100:80 +ESTABLISHED' "$TMP/wait2.out")
((listed == 2)) || fail "the timeout listed $listed of the 2 open connections"
health=$(ip netns exec "${LAB_NS[client]}" curl -s -o /dev/null -w '%{http_code}' "http://192.168.1.11:9480/health/web")
[[ $health == 503 ]] || fail "web answers $health while drained"
touch "$TMP/go2"
pass "--timeout lists both open connections (peer, state, age, bytes) and exits 1"

# 3. Usage errors.
rc=0
agent undrain web --wait >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "undrain --wait exited $rc, not 2 (usage)"
rc=0
agent drain web --timeout 5s >/dev/null 2>&1 || rc=$?
((rc == 2)) || fail "--timeout without --wait exited $rc, not 2 (usage)"
pass "--wait with undrain and --timeout without --wait are usage errors"

# 4. A client that vanished mid-download: nginx retransmits to it and hears
# nothing back; it cannot write, so it does not hold the wait, which names it.
agent undrain web >/dev/null || fail "undrain failed"
wait_until 5 http_is "${LAB_NS[client]}" "http://192.168.1.11:9480/health/web" 200 || fail "web not UP again"
# Reads slower than nginx sends (16 KiB every 2 ms): when the client
# vanishes nginx has data in flight (retransmitted) or a closed window to
# probe, and either goes unanswered. Bounded to 60 s.
cat >"$TMP/download.py" <<'PY'
import socket, sys, time
s = socket.create_connection(("192.168.1.100", 80), timeout=5)
s.sendall(b"GET /big HTTP/1.1\r\nHost: vip\r\n\r\n")
got, deadline = 0, time.time() + 60
s.settimeout(1)
while time.time() < deadline:
    try:
        chunk = s.recv(16384)
    except socket.timeout:
        continue
    if not chunk:
        break
    if got < 1 << 20 <= got + len(chunk):
        open(sys.argv[1], "a").write("reading\n")
    got += len(chunk)
    time.sleep(0.002)
PY
start_bg "${LAB_NS[client]}" "$TMP/download.out" python3 "$TMP/download.py" "$TMP/download.log"
wait_until 10 grep -q reading "$TMP/download.log" || fail "the download did not start: $(cat "$TMP/download.out")"
# The client vanishes: its link goes down, nothing it sends or receives moves.
ip -n "${LAB_NS[client]}" link set "$LAB_IFACE" down
rc=0
agent drain web --wait --timeout 30s >"$TMP/wait4.out" 2>&1 || rc=$?
cat "$TMP/wait4.out" >&2
((rc == 0)) || fail "drain --wait exited $rc with only a vanished client left"
grep -qE '^web: not waiting for 192\.168\.1\.50:[0-9]+ \(ESTABLISHED\): the client stopped answering \([0-9]+ (retransmission timeouts?|window/keepalive probes?)( and [0-9]+ window/keepalive probes?)?, nothing from it for [0-9.]+s\)$' "$TMP/wait4.out" ||
  fail "the vanished client is not named"
grep -q 'drained: no connection left after .* but 1 whose client stopped answering' "$TMP/wait4.out" ||
  fail "the final line does not say one was left"
ss_out=$(lab_exec web1 ss -tnH state established "( sport = :80 )")
grep -q '192.168.1.50:' <<<"$ss_out" || fail "the vanished client's connection had closed: not what was tested"
pass "a client that vanished mid-download is named and does not hold drain --wait"
