#!/usr/bin/env bash
# The mysql probe against Oracle MySQL 9.7 (sid's mysql-server, chrooted from
# a cached root) and MariaDB 10.11: the probe sends nothing the server
# rejects (flavour from the version, once per connection); closing its
# connection is a COM_QUIT, not an aborted client; without the monitor grant
# replication is "unknown" with the grant to give; a parallel applier's
# "Coordinator stopped" becomes the failing worker's real error; the pair
# ([pair]) refuses MySQL with its reason.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/rootfs.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mysql_root.sh"
require_root
require_cmd debootstrap zstd mariadbd mariadb-install-db curl ip
make_tmp
test_start=$(now_ms)
mysql_root
make_ns m NS

my_start src "$NS" 1 3306
my_start rep "$NS" 2 3307
for x in src rep; do
  my "$x" "SET sql_log_bin=0;
    CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
    GRANT REPLICATION CLIENT ON *.* TO 'rsagent'@'localhost';
    GRANT SELECT ON performance_schema.replication_applier_status_by_worker TO 'rsagent'@'localhost';
    CREATE USER 'nogrant'@'localhost' IDENTIFIED BY 'probe-pw';"
done
printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/probe.cnf"
printf '[client]\nuser = nogrant\npassword = probe-pw\n' >"$TMP/nogrant.cnf"
chmod 600 "$TMP/probe.cnf" "$TMP/nogrant.cnf"

probe_config() {  # FILE SOCKET CREDENTIALS
  cat >"$1" <<TOML
[probe.mysql]
type = "mysql"
socket = "$2"
credentials = "$3"
timeout = "2s"
interval = "2s"

[service.db]
port = 3306
probes = ["mysql"]
role = "reader"
TOML
}
probe() { ip netns exec "$NS" "$RSAGENT" probe mysql -c "$1" 2>&1 || true; }
probe_config "$TMP/src.toml" "$(my_sock src)" "$TMP/probe.cnf"
probe_config "$TMP/rep.toml" "$(my_sock rep)" "$TMP/probe.cnf"
probe_config "$TMP/nogrant.toml" "$(my_sock src)" "$TMP/nogrant.cnf"

# 1. Nothing the server rejects, and no aborted connection, over N one-shot
# runs (each opens and closes a connection).
runs=10
errors_of() {  # NAME: statements of the probe user that raised an error
  my_value "$1" "SELECT COALESCE(SUM(SUM_ERROR_RAISED), 0)
    FROM performance_schema.events_errors_summary_by_user_by_error WHERE USER = 'rsagent'"
}
aborted() { my_value "$1" "SHOW GLOBAL STATUS LIKE 'Aborted_clients'" | cut -f2; }
a0=$(aborted src)
for ((i = 0; i < runs; i++)); do out=$(probe "$TMP/src.toml"); done
grep -q "reader: PASS — not a replica" <<<"$out" || fail "MySQL 9.7 probe: $out"
grep -q "version = 9\.7" <<<"$out" || fail "no version: $out"
a1=$(aborted src)
e=$(errors_of src)
log "MySQL 9.7, $runs probe runs: $e rejected statements, Aborted_clients $a0 -> $a1"
((e == 0)) || fail "the probe sent $e statements MySQL 9.7 rejected: $(my src "SELECT ERROR_NUMBER, ERROR_NAME FROM performance_schema.events_errors_summary_by_user_by_error WHERE USER='rsagent' AND SUM_ERROR_RAISED > 0")"
((a1 == a0)) || fail "probe connections counted as aborted: Aborted_clients $a0 -> $a1"
pass "MySQL 9.7: $runs runs, no rejected statement, no aborted connection"

# 2. The same on MariaDB 10.11: SHOW ALL SLAVES STATUS, COM_QUIT on close.
mdb_start maria "$NS" 9 127.0.0.2
mdb maria "CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
  GRANT SLAVE MONITOR ON *.* TO 'rsagent'@'localhost';"
probe_config "$TMP/maria.toml" "$(mdb_sock maria)" "$TMP/probe.cnf"
a0=$(mdb_value maria "SHOW GLOBAL STATUS LIKE 'Aborted_clients'" | cut -f2)
for ((i = 0; i < runs; i++)); do out=$(probe "$TMP/maria.toml"); done
a1=$(mdb_value maria "SHOW GLOBAL STATUS LIKE 'Aborted_clients'" | cut -f2)
grep -q "reader: PASS — not a replica" <<<"$out" || fail "MariaDB probe: $out"
grep -q "Aborted connection" "$(mdb_dir maria)/error.log" &&
  fail "MariaDB logged aborted connections: $(grep 'Aborted connection' "$(mdb_dir maria)/error.log" | tail -2)"
((a1 == a0)) || fail "MariaDB: Aborted_clients $a0 -> $a1"
log "MariaDB 10.11, $runs probe runs: Aborted_clients $a0 -> $a1"
pass "MariaDB: no aborted connection, none logged"

# 3. Without REPLICATION CLIENT the replica status is unknown, never "not a
# replica", and the reason names the grant.
out=$(probe "$TMP/nogrant.toml")
grep -q "reader: FAIL — replication state unknown: SHOW REPLICA STATUS: .*(GRANT REPLICATION CLIENT ON \*\.\* TO the probe's user" <<<"$out" ||
  fail "missing grant: $out"
grep -q "replication = unknown: " <<<"$out" || fail "details say: $out"
grep -q "not a replica" <<<"$out" && fail "'not a replica' without the grant: $out"
pass "missing grant: unknown, with the grant to give"

# 4. Replication src -> rep with MySQL's default multi-threaded applier
# (replica_parallel_workers = 4): a conflicting row on rep stops a worker; the
# reason carries the worker's error, not just "Coordinator stopped".
my src "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'replpw'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
my rep "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=3306, SOURCE_USER='repl',
  SOURCE_PASSWORD='replpw', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1; START REPLICA;"
my src "CREATE DATABASE t; CREATE TABLE t.x (id INT PRIMARY KEY)"
wait_until 20 [ -n "$(my_value rep "SHOW TABLES FROM t" 2>/dev/null)" ] || fail "replication did not start"
wait_until 10 grep -q "reader: PASS — replicating" <(probe "$TMP/rep.toml") ||
  fail "replica: $(probe "$TMP/rep.toml")"
workers=$(my_value rep "SELECT @@replica_parallel_workers")
my rep "SET sql_log_bin=0; INSERT INTO t.x VALUES (1)"
my src "INSERT INTO t.x VALUES (1)"
# Last_SQL_Error of SHOW REPLICA STATUS is the coordinator's.
sql_error() {
  my_value rep "SELECT LAST_ERROR_MESSAGE FROM performance_schema.replication_applier_status_by_coordinator"
}
wait_until 10 grep -q "Coordinator stopped" <(sql_error) || fail "no coordinator error: $(sql_error)"
out=$(probe "$TMP/rep.toml")
grep -q "reader: FAIL — channel '' (default): SQL thread No (error 1062: Worker [0-9]* failed executing transaction .*Duplicate entry '1'" <<<"$out" ||
  fail "coordinator reason: $out"
log "SHOW REPLICA STATUS says: $(sql_error | cut -c1-90)..."
log "the probe says: $(grep 'reader:' <<<"$out")"
pass "parallel applier ($workers workers): the reason names the worker's error"

# 5. The pair ([pair]) needs MariaDB GTIDs (@@gtid_binlog_pos): on MySQL 9.7
# an agent with [pair] keeps its writer service DOWN and says so, rather
# than guess at GTID sets it does not compare.
cat >"$TMP/pair.toml" <<TOML
[agent]
listen = "127.0.0.1:9480"
allow = ["127.0.0.0/8"]
state_dir = "$TMP/pair-state"
control_socket = "$TMP/pair.sock"
shutdown_grace = "0s"

[vip]
addresses = ["10.99.0.1"]

[probe.mysql]
type = "mysql"
socket = "$(my_sock src)"
credentials = "$TMP/probe.cnf"
timeout = "2s"
interval = "2s"

[service.db-writer]
vip = "10.99.0.1"
port = 3306
probes = ["mysql"]
role = "writer"

[pair]
service = "db-writer"
peer_mysql = "127.0.0.1:3307"
peer_agent = "127.0.0.1:9481"
interval = "1s"
timeout = "900ms"
TOML
mkdir -p "$TMP/pair-state"
start_bg "$NS" "$TMP/pair-agent.log" "$RSAGENT" run -c "$TMP/pair.toml"
pair_reason() {
  ip netns exec "$NS" curl -s -m 2 http://127.0.0.1:9480/status | python3 -c '
import json, sys
print([s["reason"] for s in json.load(sys.stdin)["services"] if s["name"] == "db-writer"][0])' \
    2>/dev/null || true
}
pair_refused() { pair_reason | grep -q "the pair needs MariaDB GTIDs"; }
wait_until 20 pair_refused ||
  fail "[pair] on MySQL 9.7: $(pair_reason) $(tail -3 "$TMP/pair-agent.log")"
[[ $(ip netns exec "$NS" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9480/health/db-writer) == 503 ]] ||
  fail "[pair] on MySQL 9.7: db-writer is not DOWN"
pass "[pair] on MySQL 9.7: refused, writer DOWN: $(pair_reason)"

log "whole test $(($(now_ms) - test_start)) ms"
