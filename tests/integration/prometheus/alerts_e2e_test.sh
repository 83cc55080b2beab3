#!/usr/bin/env bash
# The shipped alert rules and dashboard against a real Prometheus (Debian's
# 2.42) scraping five real agents, each in its own namespace on a bridge:
#
#   web1  nginx behind an http probe, VIP .100 managed      nginx killed; VIP deleted 4x
#   web2  VIP .101 with manage = false (verified only)      VIP deleted; arp_ignore = 0
#   web3  a tcp probe                                       the agent killed
#   dba   MariaDB, master-master with dbb (semi-sync),      its reader drained; a write
#         writer VIP .110, reader                           while dbb is gone
#   dbb   the same, pt-heartbeat lag from dba's rows        mysqld stopped
#
# All faults at once, then every matching alert must reach `firing` through
# /api/v1/alerts with the rules' own `for:` (nothing else may fire: a drained
# service, a healed VIP, a master-master pair without [pair] are look-alikes
# that must stay quiet), and after recovery each must be gone
# (RsagentVipHealing looks back 30 min: it stays, by design). Then every
# panel query of the shipped dashboard but the [pair] row's (the lab runs
# those), run as Grafana runs it (query_range over the test), must return
# series. Prints fault-to-firing times and the scrape cost (samples,
# duration, agent CPU per scrape).
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/mariadb.sh"
require_root
command -v mariadbd >/dev/null || { log "SKIP: no mariadbd"; exit 77; }
require_cmd prometheus nginx mariadb mariadb-install-db curl python3
make_tmp
HERE="$(dirname "$0")"
RULES="$RSAGENT_SOURCE_DIR/packaging/prometheus/rsagent-rules.yml"
DASH="$RSAGENT_SOURCE_DIR/packaging/grafana/rsagent-dashboard.json"
T_START=$(date +%s)

declare -A IP=([prom]=10.99.0.1 [web1]=10.99.0.11 [web2]=10.99.0.12 [web3]=10.99.0.13
  [dba]=10.99.0.21 [dbb]=10.99.0.22)
NODES=(web1 web2 web3 dba dbb)
lab_switch
for h in prom "${NODES[@]}"; do lab_host "$h" "${IP[$h]}"; done
declare -A AGENT_PID
prom() { lab_exec prom python3 "$HERE/prom_api.py" http://127.0.0.1:9090 "$@"; }
inst() { echo "${IP[$1]}:9480"; }

# agent_config NODE TOML: an agent Prometheus (and the node itself) may read.
agent_config() {
  mkdir -p "$TMP/state-$1"
  cat >"$TMP/$1.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
allow = ["127.0.0.0/8", "${IP[prom]}/32"]
state_dir = "$TMP/state-$1"
control_socket = "$TMP/control-$1.sock"
shutdown_grace = "0s"
$2
CONF
}
agent_start() {
  start_bg "${LAB_NS[$1]}" "$TMP/agent-$1.log" "$RSAGENT" run -c "$TMP/$1.toml"
  AGENT_PID[$1]=$BG_PID
}
health_is() { http_is "${LAB_NS[$1]}" "http://127.0.0.1:9480/health/$2" "$3"; }
expect_health() {  # NODE SERVICE CODE SECONDS
  wait_until "$4" health_is "$1" "$2" "$3" ||
    fail "$1 $2 is not $3: $(tail -3 "$TMP/agent-$1.log")"
}
PROBE='interval = "500ms"
timeout = "400ms"
rise = 2
fall = 2'

# --- the nodes -----------------------------------------------------------------
start_nginx "${LAB_NS[web1]}" "$TMP/nginx" 127.0.0.1:8080
agent_config web1 '
[vip]
addresses = ["192.168.1.100"]
[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
'"$PROBE"'
[service.web]
vip = "192.168.1.100"
port = 80
probes = ["nginx"]'

# web2 verifies only: the VIP and the ARP sysctls are the operator's (here the test's).
lab_exec web2 ip addr add 192.168.1.101/32 dev lo
arp_suppress() {  # NODE IGNORE
  lab_exec "$1" sysctl -qw net.ipv4.conf.all.arp_ignore="$2" net.ipv4.conf.lp0.arp_ignore="$2" \
    net.ipv4.conf.all.arp_announce=2
}
arp_suppress web2 1
for n in web2 web3; do
  agent_config "$n" "
$([[ $n == web2 ]] && printf '[vip]\naddresses = ["192.168.1.101"]\nmanage = false')
[probe.self]
type = \"tcp\"
targets = [\"127.0.0.1:9480\"]
$PROBE
[service.web]
$([[ $n == web2 ]] && echo 'vip = "192.168.1.101"')
port = 80
probes = [\"self\"]"
done

mdb_start dba "${LAB_NS[dba]}" 1 "${IP[dba]}"
mdb_start dbb "${LAB_NS[dbb]}" 2 "${IP[dbb]}"
mdb_pair dba dbb
mdb dba "CREATE DATABASE hb; CREATE TABLE hb.heartbeat (ts VARCHAR(26) NOT NULL,
  server_id INT UNSIGNED NOT NULL PRIMARY KEY)"
for n in dba dbb; do
  mdb "$n" "SET sql_log_bin=0; CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
    GRANT SLAVE MONITOR ON *.* TO 'rsagent'@'localhost';
    GRANT SELECT ON hb.* TO 'rsagent'@'localhost';"
  printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/$n.cnf"
  chmod 600 "$TMP/$n.cnf"
  agent_config "$n" "
[vip]
addresses = [\"192.168.1.110\"]
[probe.mysql]
type = \"mysql\"
socket = \"$(mdb_sock "$n")\"
credentials = \"$TMP/$n.cnf\"
replication_required = true
$([[ $n == dbb ]] && echo 'heartbeat_table = "hb.heartbeat"')
$PROBE
[service.db-writer]
vip = \"192.168.1.110\"
port = 3306
probes = [\"mysql\"]
role = \"writer\"
[service.db-reader]
port = 3306
probes = [\"mysql\"]
role = \"reader\""
done
# pt-heartbeat --update on dba, one row a second (it fails while dbb is gone
# and semi-sync waits: the loop goes on).
start_bg "${LAB_NS[dba]}" "$TMP/heartbeat.log" bash -c "while :; do
  mariadb --no-defaults -S '$(mdb_sock dba)' -uroot --connect-timeout=2 -e \
    'REPLACE INTO hb.heartbeat (ts, server_id) VALUES (UTC_TIMESTAMP(6), @@server_id)' || true
  sleep 1; done"

for n in "${NODES[@]}"; do agent_start "$n"; done
for n in web1 web2 web3; do expect_health "$n" web 200 15; done
for n in dba dbb; do
  expect_health "$n" db-writer 200 15
  expect_health "$n" db-reader 200 15
done
pass "five agents UP: nginx, VIPs, ARP, a replicating master-master pair"

# --- Prometheus: the shipped rules, every agent scraped each second --------------
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: ["$RULES"]
scrape_configs:
  - job_name: rsagent
    static_configs:
      - targets: [$(for n in "${NODES[@]}"; do printf '"%s",' "$(inst "$n")"; done)]
YML
start_bg "${LAB_NS[prom]}" "$TMP/prometheus.log" prometheus --config.file="$TMP/prometheus.yml" \
  --storage.tsdb.path="$TMP/tsdb" --web.listen-address=127.0.0.1:9090 --log.level=warn
targets_up() {
  [[ $(lab_exec prom curl -s -m 2 'http://127.0.0.1:9090/api/v1/query?query=sum(up)' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])') == 5 ]]
}
wait_until 30 targets_up || fail "Prometheus does not scrape all five agents: $(tail -5 "$TMP/prometheus.log")"
sleep 3  # a few healthy samples before the faults, as a dashboard would show
out=$(prom firing "$(now_ms)" 1 2>&1 || true)
[[ $out != *"no fault of the test explains it"* ]] || fail "alerts before any fault: $out"
pass "Prometheus scrapes all five agents; nothing fires while all is well"

# --- faults ----------------------------------------------------------------------
T_FAULT=$(now_ms)
kill_nginx
expect_health web1 web 503 5
vip_on() { lab_exec "$1" ip -o addr show dev lo | grep -q "inet $2/32"; }
for i in 1 2 3 4; do
  lab_exec web1 ip addr del 192.168.1.100/32 dev lo
  wait_until 5 vip_on web1 192.168.1.100 || fail "web1 did not re-bind its VIP"
  sleep 0.2
done
lab_exec web2 ip addr del 192.168.1.101/32 dev lo
arp_suppress web2 0
kill -9 "${AGENT_PID[web3]}"
ip netns exec "${LAB_NS[dba]}" "$RSAGENT" drain db-reader -c "$TMP/dba.toml" >/dev/null
mdb_stop dbb
log "faults injected in $(($(now_ms) - T_FAULT)) ms"

FIRING=(
  "RsagentProbeDown{instance=$(inst web1),probe=nginx}"
  "RsagentServiceNotServing{instance=$(inst web1),service=web}"
  "RsagentVipHealing{instance=$(inst web1),vip=192.168.1.100}"
  "RsagentVipMissing{instance=$(inst web2),vip=192.168.1.101}"
  "RsagentArpNotSuppressed{instance=$(inst web2)}"
  "RsagentServiceNotServing{instance=$(inst web2),service=web}"
  "RsagentDown{instance=$(inst web3)}"
  "RsagentMysqlReplicationNotRunning{instance=$(inst dba)}"
  "RsagentMysqlSemiSyncFellBack{instance=$(inst dba)}"
  "RsagentProbeDown{instance=$(inst dbb),probe=mysql}"
  "RsagentServiceNotServing{instance=$(inst dbb),service=db-writer}"
  "RsagentServiceNotServing{instance=$(inst dbb),service=db-reader}"
)
# The longest `for:` is 2m: allow a loaded machine a minute beyond it.
prom firing "$T_FAULT" 180 "${FIRING[@]}" >"$TMP/firing.txt" ||
  fail "alerts did not fire as expected: $(cat "$TMP/firing.txt")"
cat "$TMP/firing.txt" >&2
pass "every fault's alert is firing, no other alert is"

# --- recovery --------------------------------------------------------------------
T_RECOVER=$(now_ms)
start_nginx "${LAB_NS[web1]}" "$TMP/nginx" 127.0.0.1:8080
lab_exec web2 ip addr add 192.168.1.101/32 dev lo
arp_suppress web2 1
agent_start web3
ip netns exec "${LAB_NS[dba]}" "$RSAGENT" undrain db-reader -c "$TMP/dba.toml" >/dev/null
mdb_restart dbb
# All but RsagentVipHealing, whose increase() looks back 30 minutes.
prom resolved "$T_RECOVER" 60 "${FIRING[@]:0:2}" "${FIRING[@]:3}" >"$TMP/resolved.txt" ||
  fail "alerts did not resolve: $(cat "$TMP/resolved.txt")"
cat "$TMP/resolved.txt" >&2
pass "after recovery every alert but RsagentVipHealing (30 min window) is gone"

# --- the dashboard's queries -----------------------------------------------------
# The [pair] row's panels need agents with [pair]: the lab runs them over its
# pair drills (tests/lab/host/prometheus.sh); these agents have none.
python3 "$HERE/grafana_dashboard.py" queries "$DASH" --not-row '[pair]' >"$TMP/queries.jsonl"
prom panels "$T_START" "$(date +%s)" <"$TMP/queries.jsonl" >"$TMP/panels.txt" 2>&1 ||
  fail "dashboard panels without data: $(cat "$TMP/panels.txt")"
pass "all $(wc -l <"$TMP/queries.jsonl") panel queries of the dashboard return series"

# --- scrape cost -----------------------------------------------------------------
prom scrape >&2
# The agent's CPU (every thread's schedstat, ns) over 200 scrapes, less what
# it spends without them (its probes) in as long a time.
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ns += $1} END {printf "%d", ns}'; }
pid=${AGENT_PID[dba]}
bytes=$(lab_exec dba curl -s http://127.0.0.1:9480/metrics | wc -c)
c0=$(cpu_ns "$pid") s=$(now_ms)
sleep 3
idle_ns=$(($(cpu_ns "$pid") - c0)) idle_ms=$(($(now_ms) - s))
c0=$(cpu_ns "$pid") s=$(now_ms)
for _ in $(seq 200); do lab_exec dba curl -s -o /dev/null http://127.0.0.1:9480/metrics; done
busy_ns=$(($(cpu_ns "$pid") - c0)) busy_ms=$(($(now_ms) - s))
per_us=$(((busy_ns - idle_ns * busy_ms / idle_ms) / 200 / 1000))
log "dba /metrics: $bytes bytes; agent CPU ${per_us} us per scrape (200 scrapes in $busy_ms ms:" \
  "$((busy_ns / 1000000)) ms CPU; without scrapes $((idle_ns / 1000000)) ms CPU in $idle_ms ms)"
pass "alerts end to end, dashboard queries live"
