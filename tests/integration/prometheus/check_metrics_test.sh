#!/usr/bin/env bash
# A real agent's /metrics, with a probe of every kind (http and tcp against a
# real nginx, exec, and mysql, galera and group_replication against a real
# MariaDB, the last two failing as a plain server must), after some attempts,
# passes `promtool check metrics` with no finding, and holds no series named
# after another exporter's.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/mariadb.sh"
require_root
require_cmd nginx curl promtool mariadbd mariadb
make_tmp
make_ns pm NS
start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
mdb_install db
mdb_start db "$NS" 1 127.0.0.1
printf '[client]\nuser = root\n' >"$TMP/probe.cnf"
chmod 600 "$TMP/probe.cnf"
cat >"$TMP/rsagent.toml" <<CONF
[agent]
listen = "127.0.0.1:9480"
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "200ms"
timeout = "200ms"
[probe.ports]
type = "tcp"
targets = ["127.0.0.1:8080"]
interval = "200ms"
timeout = "200ms"
[probe.script]
type = "exec"
command = ["true"]
interval = "200ms"
timeout = "200ms"
[probe.db]
type = "mysql"
socket = "$(mdb_sock db)"
credentials = "$TMP/probe.cnf"
interval = "200ms"
timeout = "200ms"
[probe.wsrep]
type = "galera"
socket = "$(mdb_sock db)"
credentials = "$TMP/probe.cnf"
interval = "200ms"
timeout = "200ms"
[probe.gr]
type = "group_replication"
socket = "$(mdb_sock db)"
credentials = "$TMP/probe.cnf"
interval = "200ms"
timeout = "200ms"
[service.web]
port = 80
probes = ["nginx", "ports", "script"]
[service.db]
port = 3306
probes = ["db"]
[service.cluster]
port = 3307
probes = ["wsrep", "gr"]
CONF
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
wait_until 5 http_is "$NS" http://127.0.0.1:9480/health/web 200 || fail "web never UP"
ip netns exec "$NS" curl -s http://127.0.0.1:9480/metrics >"$TMP/metrics"
grep -q '^rsagent_probe_duration_seconds_bucket{probe="nginx",type="http",le="+Inf"} [1-9]' \
  "$TMP/metrics" || fail "no probe duration histogram: $(head -50 "$TMP/metrics")"
grep -q '^process_resident_memory_bytes [0-9]' "$TMP/metrics" || fail "no process_* series"
wait_until 5 http_is "$NS" http://127.0.0.1:9480/health/db 200 || fail "db never UP"
ip netns exec "$NS" curl -s http://127.0.0.1:9480/metrics >"$TMP/metrics"
for kind in http tcp exec mysql galera group_replication; do
  grep -q "^rsagent_probe_duration_seconds_count{[^}]*type=\"$kind\"[^}]*} [1-9]" "$TMP/metrics" ||
    fail "no attempts of a $kind probe in /metrics: $(grep duration_seconds_count "$TMP/metrics")"
done
grep -q '^rsagent_mysql_' "$TMP/metrics" || fail "no rsagent_mysql_* series"
out=$(promtool check metrics <"$TMP/metrics" 2>&1) || fail "promtool check metrics: $out"
[[ -z $out ]] || fail "promtool check metrics findings: $out"
if grep -vE '^(#|rsagent_|process_)' "$TMP/metrics"; then fail "series outside rsagent_/process_"; fi
pass "promtool check metrics: clean ($(grep -vc '^#' "$TMP/metrics") samples)"
