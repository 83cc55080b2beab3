#!/usr/bin/env bash
# HAProxy as the director (conf/examples/haproxy.cfg, paths adapted only):
# Debian's real haproxy in a namespace owning both VIPs, two nginx web
# servers and two MariaDB writers, each with rsagent answering http-check on
# 9480 and agent-check on 9481. Checks: both VIPs serve; a weight the agent
# lowers (connections) is seen in `show servers state`; `rsagent drain`
# shows DRAIN on the stats socket within one agent-inter and stays DRAIN
# (not DOWN) while new requests go to the other server; the writer fails over
# to the backup when its MariaDB dies and comes back when it returns.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/mariadb.sh"
require_root
require_cmd haproxy nginx curl socat mariadbd mariadb python3
make_tmp

VIP_WEB=192.168.1.100
VIP_DB=192.168.1.101
lab_switch
lab_host client 192.168.1.50
lab_host hap 192.168.1.2
lab_host C 192.168.1.10
lab_host D 192.168.1.11
lab_host E 192.168.1.20
lab_host F 192.168.1.21
ip -n "${LAB_NS[hap]}" addr add "$VIP_WEB/32" dev lp0
ip -n "${LAB_NS[hap]}" addr add "$VIP_DB/32" dev lp0

agent_config() {  # DIR SERVICE-BLOCKS
  cat >"$1/rsagent.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
agent_check_listen = "0.0.0.0:9481"
allow = ["192.168.1.2/32", "127.0.0.0/8"]
state_dir = "$1/state"
control_socket = "$1/run/control.sock"
shutdown_grace = "0s"

$2
CONF
}

for n in C D; do
  d="$TMP/$n"
  write_nginx_conf "$d" "
    listen 80;
    keepalive_timeout 300s;
    add_header X-Server $n always;
    location = / { return 200 \"$n\\n\"; }"
  start_bg "${LAB_NS[$n]}" "$d/stdout" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
  # C ramps its weight up over 5 s each time it turns UP.
  extra=""
  [[ $n == C ]] && extra=$'slow_start = "5s"\nweight_min = 10'
  agent_config "$d" "[probe.nginx]
type = \"http\"
url = \"http://127.0.0.1/\"
interval = \"200ms\"
timeout = \"200ms\"

[service.web]
port = 80
probes = [\"nginx\"]
$extra"
  start_bg "${LAB_NS[$n]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
done

id=1
for n in E F; do
  d="$TMP/$n"
  mkdir -p "$d"
  mdb_start "$n" "${LAB_NS[$n]}" "$id" 0.0.0.0
  mdb "$n" "CREATE USER 'app'@'%' IDENTIFIED BY 'app-pw'; GRANT ALL ON *.* TO 'app'@'%';"
  agent_config "$d" "[probe.mysql]
type = \"mysql\"
socket = \"$(mdb_sock "$n")\"
interval = \"200ms\"
timeout = \"200ms\"
rise = 1
fall = 1

[service.db-writer]
port = 3306
probes = [\"mysql\"]
role = \"writer\""
  start_bg "${LAB_NS[$n]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
  id=$((id + 1))
done

# The shipped example, with only the paths a test must own changed.
H="$TMP/haproxy"
mkdir -p "$H"
sed -e "s#/run/haproxy/admin.sock#$H/admin.sock#" -e '/^    user haproxy$/d' \
  -e '/^    group haproxy$/d' -e '/^    daemon$/d' -e 's#^    log /dev/log local0#    log stderr local0#' \
  "$RSAGENT_SOURCE_DIR/conf/examples/haproxy.cfg" >"$H/haproxy.cfg"
for edit in "$H/admin.sock" "log stderr"; do
  grep -q "$edit" "$H/haproxy.cfg" || fail "the example changed: '$edit' not applied"
done
! grep -qE '^    (user|group|daemon)' "$H/haproxy.cfg" || fail "the example changed: user/group/daemon left"
lab_exec hap haproxy -c -f "$H/haproxy.cfg" >"$H/check.log" 2>&1 || fail "haproxy -c: $(cat "$H/check.log")"
start_bg "${LAB_NS[hap]}" "$H/haproxy.log" haproxy -W -db -f "$H/haproxy.cfg"

hap() { echo "$1" | lab_exec hap socat -t 2 stdio "UNIX-CONNECT:$H/admin.sock"; }
# `show stat` status of one server: UP, DOWN, DRAIN, MAINT, "UP 1/2", ...
status_of() {  # BACKEND SERVER
  hap "show stat" | awk -F, -v b="$1" -v s="$2" '$1 == b && $2 == s {print $18}'
}
# "DRAIN (agent)": the state came from agent-check.
status_is() { [[ $(status_of "$1" "$2") =~ ^$3( \(agent\))?$ ]]; }
# srv_uweight from `show servers state BACKEND` (field 8).
uweight_of() {  # BACKEND SERVER
  hap "show servers state $1" | awk -v s="$2" '$4 == s {print $8}'
}
uweight_is() { [[ $(uweight_of "$1" "$2") == "$3" ]]; }
served_by() { lab_exec client curl -s -m 2 "http://$VIP_WEB/" | tr -d '\n'; }
writer_id() {
  lab_exec client mariadb --no-defaults -h "$VIP_DB" -uapp -papp-pw --connect-timeout=2 -N -e \
    'SELECT @@server_id' 2>/dev/null
}

for s in "web C" "web D" "db_writer E" "db_writer F"; do
  wait_until 20 status_is $s UP || fail "$s not UP in HAProxy: $(status_of $s); $(hap 'show stat' | cut -d, -f1,2,18,37 )"
done
pass "HAProxy sees C, D, E and F UP through http-check + agent-check"
declare -A seen=()
for i in $(seq 8); do seen[$(served_by)]=1; done
[[ -n ${seen[C]:-} && -n ${seen[D]:-} ]] || fail "VIP_WEB did not balance over C and D: ${!seen[*]}"
[[ $(writer_id) == 1 ]] || fail "VIP_DB does not reach E (server_id 1): '$(writer_id)'"
pass "VIP_WEB balances over C and D, VIP_DB writes go to E"

# C's slow start from its first UP: its weight reaches the configured 100.
wait_until 10 uweight_is web C 100 || fail "C's weight stays $(uweight_of web C), not 100"
pass "C's weight reached 100 after its slow start"

# Drain: DRAIN within one agent-inter (1 s), and it stays DRAIN, not DOWN.
t0=$(now_ms)
lab_exec C "$RSAGENT" drain web -c "$TMP/C/rsagent.toml" >/dev/null || fail "drain failed"
t_cmd=$(now_ms)
wait_until 5 status_is web C DRAIN || fail "C not DRAIN: $(status_of web C)"
t_drain=$(now_ms)
log "drain -> DRAIN on the stats socket in $((t_drain - t0)) ms (the command took $((t_cmd - t0)) ms)"
# One agent-inter (1 s) plus the answer; the bound is a generous sanity bound.
(( t_drain - t_cmd < 2500 )) || fail "DRAIN took $((t_drain - t_cmd)) ms after the drain (agent-inter 1 s)"
echo "haproxy_drain_ms $((t_drain - t_cmd))" >>"${RSAGENT_BENCH_OUT:-/dev/null}"
for i in $(seq 10); do
  [[ $(served_by) == D ]] || fail "a new request reached drained C"
done
sleep 3  # past fall x inter of the http-check: still DRAIN, not DOWN
status_is web C DRAIN || fail "C turned $(status_of web C) while drained (the http-check failed?)"
pass "drain shows DRAIN in $((t_drain - t_cmd)) ms (agent-inter 1 s), stays DRAIN with new requests on D"

# Undrain: C is UP again and its slow start is seen in `show servers state`.
lab_exec C "$RSAGENT" undrain web -c "$TMP/C/rsagent.toml" >/dev/null || fail "undrain failed"
wait_until 5 status_is web C UP || fail "C not UP after undrain: $(status_of web C)"
weights=()
for i in $(seq 80); do
  weights+=("$(uweight_of web C)")
  [[ ${weights[-1]} == 100 ]] && break
  sleep 0.1
done
log "show servers state web, C's srv_uweight after undrain: ${weights[*]}"
[[ ${weights[-1]} == 100 ]] || fail "C's weight did not ramp back to 100: ${weights[*]}"
ramp=0 prev=0
for w in "${weights[@]}"; do
  ((w >= prev)) || fail "C's weight fell during its slow start: ${weights[*]}"
  ((w > 0 && w < 100)) && ramp=$((ramp + 1))
  prev=$w
done
((ramp >= 2)) || fail "no slow start seen in show servers state: ${weights[*]}"
pass "undrain -> UP, weight ramped in show servers state: $(printf '%s\n' "${weights[@]}" | uniq | tr '\n' ' ')"

# Writer failover: E's MariaDB dies -> E DOWN, writes to F; E back -> E.
mdb_kill E
wait_until 10 status_is db_writer E DOWN || fail "E not DOWN after its MariaDB died: $(status_of db_writer E)"
wait_until 10 bash -c "[[ \$(lab_exec client true; ip netns exec ${LAB_NS[client]} mariadb --no-defaults -h $VIP_DB -uapp -papp-pw --connect-timeout=2 -N -e 'SELECT @@server_id' 2>/dev/null) == 2 ]]" ||
  fail "writes do not fail over to F: '$(writer_id)'"
pass "E's MariaDB killed: E DOWN in HAProxy, VIP_DB writes go to the backup F"
mdb_restart E
wait_until 20 status_is db_writer E UP || fail "E not UP again: $(status_of db_writer E)"
[[ $(writer_id) == 1 ]] || fail "VIP_DB does not return to E: '$(writer_id)'"
pass "E back: VIP_DB writes go to E again"
