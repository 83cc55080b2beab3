#!/usr/bin/env bash
# Issue 16, the CI slice of tests/bench/scale.sh's starved host: a CPU hog on
# every core (stress-ng, nice 0) for 30 s with a healthy nginx and MariaDB,
# the agent at the unit's priority (packaging/systemd/rsagent.service: Nice=,
# IOSchedulingClass=) and the shipped examples' timings: no DOWN verdict at
# all (each would be false). Then, under the same hog, nginx frozen with
# SIGSTOP: DOWN within its bound, with the timeout in the reason; /status
# shows each attempt's schedule_delay. Last, a host really starved (twice as
# many hogs as cores) with nginx frozen: the timeout's reason says the host's
# CPU was starved (PSI), so nobody blames the server alone.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/mariadb.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd nginx mariadbd curl python3 stress-ng ionice
make_tmp
make_ns starved NS

start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
mdb_start db "$NS" 1 127.0.0.1

unit="$(dirname "$0")/../../../packaging/systemd/rsagent.service"
nice=$(sed -n 's/^Nice=//p' "$unit")
[[ -n $nice ]] || fail "the unit sets no Nice="
[[ $(sed -n 's/^IOSchedulingClass=//p' "$unit") == best-effort ]] || fail "the unit's I/O class changed"
ioprio=$(sed -n 's/^IOSchedulingPriority=//p' "$unit")

# conf/examples: web-node's http probe (1s/500ms, rise 2, fall 2) and
# db-node's mysql probe (1s/800ms, rise 3, fall 2).
cat >"$TMP/rsagent.toml" <<CONF
$(agent_table 127.0.0.1:9480 "$TMP")

[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "1s"
timeout = "500ms"
rise = 2
fall = 2

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db)"
interval = "1s"
timeout = "800ms"
rise = 3
fall = 2

[service.web]
port = 80
probes = ["nginx"]

[service.db-writer]
port = 3306
probes = ["mysql"]
role = "writer"
CONF
mkdir -p "$TMP/state"
run_agent "$NS" "$TMP/rsagent.toml" "$TMP/agent.log" http://127.0.0.1:9480/health \
  nice -n "$nice" ionice -c 2 -n "$ioprio"

status() { ip netns exec "$NS" curl -s -m 5 http://127.0.0.1:9480/status; }
# Every DOWN verdict between two /status documents (probes, roles, services).
downs() { python3 "$(dirname "$0")/../lib/down_verdicts.py" "$1" "$2"; }

status >"$TMP/before.json"
cores=$(nproc)
log "stress-ng --cpu $cores for 30 s (agent at nice $nice, I/O best-effort $ioprio)"
psi_before=$(sed -n 's/^some .*total=//p' /proc/pressure/cpu 2>/dev/null || echo "")
stress-ng --cpu "$cores" --timeout 30s --quiet &
hog=$!
on_exit "kill $hog 2>/dev/null"
worst_delay=0
while kill -0 "$hog" 2>/dev/null; do
  d=$(status | python3 -c 'import json,sys; print(max(p["last"]["schedule_delay_ms"] for p in json.load(sys.stdin)["probes"]))' 2>/dev/null || echo 0)
  worst_delay=$(awk -v a="$worst_delay" -v b="$d" 'BEGIN { print (b > a ? b : a) }')
  sleep 1
done
wait "$hog" || true
status >"$TMP/after.json"
[[ -n $psi_before ]] && log "PSI cpu some during the hog: $(awk -v a="$psi_before" -v b="$(sed -n 's/^some .*total=//p' /proc/pressure/cpu)" 'BEGIN { printf "%.0f%%", (b - a) / 30e4 }')"
false_downs=$(downs "$TMP/before.json" "$TMP/after.json")
log "under the hog: $false_downs DOWN verdict(s); largest schedule_delay seen ${worst_delay} ms"
((false_downs == 0)) || fail "$false_downs false DOWN verdict(s) with healthy servers under a CPU hog"
pass "30 s of a CPU hog on every core: no false DOWN"

# A frozen nginx under the same hog: DOWN within fall x interval + timeout
# (2.5 s) plus up to one interval of phase; generous for a loaded CI host.
stress-ng --cpu "$cores" --timeout 30s --quiet &
hog=$!
on_exit "kill $hog 2>/dev/null"
nginx_pids="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
t0=$(now_ms)
# shellcheck disable=SC2086
kill -STOP $nginx_pids
on_exit "kill -CONT $nginx_pids 2>/dev/null"
wait_until 15 http_is "$NS" "http://127.0.0.1:9480/health/web" 503 || fail "frozen nginx never DOWN"
down_ms=$(($(now_ms) - t0))
reason=$(status | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin)["probes"] if p["name"] == "nginx"][0]["reason"])')
# shellcheck disable=SC2086
kill -CONT $nginx_pids
log "frozen nginx under the hog: DOWN after $down_ms ms (bound 3500 ms): $reason"
((down_ms <= 8000)) || fail "frozen nginx DOWN only after $down_ms ms"
grep -q "timed out" <<<"$reason" || fail "no timeout in the reason: $reason"
wait_until 15 http_is "$NS" "http://127.0.0.1:9480/health" 200 || fail "not UP again after SIGCONT"
kill "$hog" 2>/dev/null || true
wait "$hog" 2>/dev/null || true
pass "frozen nginx under the hog: DOWN in $down_ms ms, UP again after SIGCONT"

# Twice as many hogs as cores: some task always waits for a CPU (PSI "some"
# near 100 %). A timeout now coincides with host-wide starvation, and the
# reason must say so (health/cpu_starvation.h: 25 % or more of the attempt).
if [[ ! -r /proc/pressure/cpu ]]; then
  log "no /proc/pressure/cpu (kernel without PSI): the starvation note is not checked"
  exit 0
fi
stress-ng --cpu $((2 * cores)) --timeout 30s --quiet &
hog=$!
on_exit "kill $hog 2>/dev/null"
sleep 2
psi_before=$(sed -n 's/^some .*total=//p' /proc/pressure/cpu)
t0=$(now_ms)
# shellcheck disable=SC2086
kill -STOP $nginx_pids
nginx_reason() {
  status | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin)["probes"] if p["name"] == "nginx"][0]["reason"])'
}
starved_reason() { nginx_reason | grep -q "host CPU starved during the attempt"; }
wait_until 15 starved_reason || true
reason=$(nginx_reason)
psi_ms=$(($(now_ms) - t0))
psi_share=$(awk -v a="$psi_before" -v b="$(sed -n 's/^some .*total=//p' /proc/pressure/cpu)" -v ms="$psi_ms" \
  'BEGIN { printf "%.0f%%", (b - a) / (ms * 10) }')
# shellcheck disable=SC2086
kill -CONT $nginx_pids
kill "$hog" 2>/dev/null || true
wait "$hog" 2>/dev/null || true
log "frozen nginx on a starved host (PSI cpu some $psi_share over $psi_ms ms): $reason"
grep -q "timed out" <<<"$reason" || fail "no timeout in the reason on a starved host: $reason"
grep -Eq "host CPU starved during the attempt \(tasks waited for a CPU [0-9]+% of the time, /proc/pressure/cpu\)" <<<"$reason" ||
  fail "a timeout on a starved host (PSI $psi_share) does not say so: $reason"
wait_until 15 http_is "$NS" "http://127.0.0.1:9480/health" 200 || fail "not UP again after SIGCONT"
pass "frozen nginx on a starved host: the timeout says the host CPU was starved (PSI $psi_share)"
