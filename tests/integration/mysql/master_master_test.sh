#!/usr/bin/env bash
# The mysql probe against a real MariaDB master-master pair (GTID, semi-sync),
# one server per namespace, an agent beside each (services without a VIP:
# netsetup has its own tests): writer/reader verdicts over
# /health through read_only, a stopped SQL thread, a stopped peer with the
# semi-sync fallback, a frozen and a killed mysqld; bad credentials and sockets.
#
# MM_SERVER=mysql9 (master_master_mysql9_test.sh) runs the same against Oracle
# MySQL 9.7 from the cached sid root (mysql_root.sh); the db_* functions
# below are the one place the two servers differ.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
require_root
case ${MM_SERVER:-mariadb} in
  mariadb)
    source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
    command -v mariadbd >/dev/null || { log "SKIP: no mariadbd"; exit 77; }
    require_cmd mariadb mariadb-install-db curl ip
    make_tmp
    db_start() { mdb_start "$@"; }  # NAME NS SERVER_ID ADDR
    db() { mdb "$@"; }
    db_value() { mdb_value "$@"; }
    db_sock() { mdb_sock "$1"; }
    db_ns() { echo "${MDB_NS[$1]}"; }
    db_pid() { echo "${MDB_PID[$1]}"; }
    db_stop() { mdb_stop "$1"; }
    db_kill() { mdb_kill "$1"; }
    db_restart() { mdb_restart "$1"; }
    db_pair() { mdb_pair "$@"; }
    db_replicating() { _mdb_replicating "$1"; }
    db_semi_sync_on() { _mdb_semi_sync_on "$1"; }
    MONITOR_GRANT="SLAVE MONITOR"  # docs/mysql.md "Minimal grants", MariaDB 10.5+
    ;;
  mysql9)
    source "$RSAGENT_SOURCE_DIR/tests/integration/lib/rootfs.sh"
    source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mysql_root.sh"
    require_cmd debootstrap zstd curl ip
    make_tmp
    mysql_root
    db_start() {  # NAME NS SERVER_ID ADDR
      MY_ADDR[$1]="$4"
      MY_EXTRA_CNF="$MY_PAIR_CNF" my_start "$1" "$2" "$3" 3306 "$4"
    }
    db() { my "$@"; }
    db_value() { my_value "$@"; }
    db_sock() { my_sock "$1"; }
    db_ns() { echo "${MY_NS[$1]}"; }
    db_pid() { echo "${MY_PID[$1]}"; }
    db_stop() { my_stop "$1"; }
    db_kill() { my_kill "$1"; }
    db_restart() { my_restart "$1"; }
    db_pair() { my_pair "$@"; }
    db_replicating() { _my_replicating "$1"; }
    db_semi_sync_on() { _my_semi_sync_on "$1"; }
    MONITOR_GRANT="REPLICATION CLIENT"  # MySQL 8.0+
    ;;
  *) fail "MM_SERVER=$MM_SERVER: mariadb or mysql9" ;;
esac

# Two namespaces joined by one veth; nothing routes out of them.
make_ns a NS_A
make_ns b NS_B
ip link add "$TEST_ID-a" netns "$NS_A" type veth peer name "$TEST_ID-b" netns "$NS_B"
ip -n "$NS_A" addr add 10.77.0.1/24 dev "$TEST_ID-a" && ip -n "$NS_A" link set "$TEST_ID-a" up
ip -n "$NS_B" addr add 10.77.0.2/24 dev "$TEST_ID-b" && ip -n "$NS_B" link set "$TEST_ID-b" up

db_start a "$NS_A" 1 10.77.0.1
db_start b "$NS_B" 2 10.77.0.2
t0=$(now_ms)
db_pair a b
log "master-master pair replicating with semi-sync in $(($(now_ms) - t0)) ms"

# The probe user with the grants docs/mysql.md gives for MariaDB 10.5+.
for x in a b; do
  db "$x" "SET sql_log_bin=0; CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
    GRANT $MONITOR_GRANT ON *.* TO 'rsagent'@'localhost';"
  printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/$x.cnf"
  chmod 600 "$TMP/$x.cnf"
done
db a "CREATE DATABASE t; CREATE TABLE t.x (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"

write_config() {  # NAME [PROBE KEY=VALUE lines...]
  local name="$1"
  shift
  cat >"$TMP/$name.toml" <<TOML
[agent]
listen = "127.0.0.1:9480"
state_dir = "$TMP/state-$name"
control_socket = "$TMP/control-$name.sock"
shutdown_grace = "0s"

[probe.mysql]
type = "mysql"
interval = "500ms"
timeout = "400ms"
rise = 2
fall = 2
$(printf '%s\n' "$@")

[service.db-writer]
port = 3306
probes = ["mysql"]
role = "writer"

[service.db-reader]
port = 3306
probes = ["mysql"]
role = "reader"
TOML
}

for x in a b; do
  write_config "$x" "socket = \"$(db_sock "$x")\"" "credentials = \"$TMP/$x.cnf\"" \
    "replication_required = true"
  mkdir -p "$TMP/state-$x"
  start_bg "$(db_ns "$x")" "$TMP/agent-$x.log" "$RSAGENT" run -c "$TMP/$x.toml"
done

health() { http_code "$(db_ns "$1")" "http://127.0.0.1:9480/health/db-$2"; }
health_is() { [[ $(health "$1" "$2") == "$3" ]]; }
probe_once() { ip netns exec "$(db_ns "$1")" "$RSAGENT" probe mysql -c "$TMP/$1.toml" 2>&1 || true; }
metric_is() {  # NODE NAME VALUE
  # Not `curl | grep -q`: with pipefail, curl's SIGPIPE after an early match fails it.
  grep -q "^$2{.*} $3\$" <<<"$(ip netns exec "$(db_ns "$1")" curl -s -m 2 http://127.0.0.1:9480/metrics)"
}
expect_health() {  # NODE ROLE CODE SECONDS WHAT
  wait_until "$4" health_is "$1" "$2" "$3" || {
    tail -5 "$TMP/agent-$1.log" >&2
    ip netns exec "$(db_ns "$1")" curl -s -m 2 http://127.0.0.1:9480/status >&2
    fail "$5: $1 db-$2 is $(health "$1" "$2"), wanted $3; probe says: $(probe_once "$1")"
  }
  log "$5: $1 db-$2 -> $3 after ${WAITED_MS} ms"
}

# 1. Both masters healthy: both are writers and readers.
for x in a b; do
  expect_health "$x" writer 200 15 "start"
  expect_health "$x" reader 200 5 "start"
done
pass "both writers and readers UP"

# 2. read_only=1 takes the writer down and leaves the reader alone.
db a "SET GLOBAL read_only=1"
expect_health a writer 503 5 "read_only=1"
health_is a reader 200 || fail "read_only=1 took the reader down"
probe_once a | grep -q "writer: FAIL — read_only is ON" || fail "no read_only reason: $(probe_once a)"
db a "SET GLOBAL read_only=0"
expect_health a writer 200 5 "read_only=0"
pass "read_only: writer DOWN with its reason, reader unaffected"

# 3. SQL thread stopped while the peer writes: a is behind what it received.
db a "STOP REPLICA SQL_THREAD"
db b "INSERT INTO t.x (v) VALUES (1), (2), (3)"
expect_health a writer 503 5 "SQL thread stopped + peer writes"
expect_health a reader 503 5 "SQL thread stopped"
out=$(probe_once a)
grep -q "writer: FAIL — channel '' (default): not caught up, applied" <<<"$out" || fail "writer reason: $out"
grep -q "reader: FAIL — channel '' (default): SQL thread No" <<<"$out" || fail "reader reason: $out"
db a "START REPLICA SQL_THREAD"
expect_health a writer 200 5 "START REPLICA"
expect_health a reader 200 5 "START REPLICA"
[[ $(db_value a "SELECT COUNT(*) FROM t.x") == 3 ]] || fail "a did not catch up"
pass "stopped SQL thread: writer and reader DOWN until caught up"

# 3b. Both threads stopped with unapplied events: nothing keeps the positions
# current, so the writer says replication is not running, not "behind".
db a "STOP REPLICA SQL_THREAD"
db b "INSERT INTO t.x (v) VALUES (4)"
sleep 1  # the IO thread receives the row
db a "STOP REPLICA IO_THREAD"
expect_health a writer 503 5 "both threads stopped"
out=$(probe_once a)
grep -q "writer: FAIL — channel '' (default): replication not running (IO thread No, SQL thread No, no error)" <<<"$out" ||
  fail "writer reason with replication stopped: $out"
db a "START REPLICA"
expect_health a writer 200 5 "START REPLICA after both stopped"
pass "replication stopped: '$(grep -o "replication not running[^)]*)" <<<"$out")'"

# 4. Peer stopped: a's IO thread reconnects, its reader goes down, and the
# first commit waits out the semi-sync timeout, then falls back to async.
db_stop b
expect_health a reader 503 10 "peer stopped"
out=$(probe_once a)
grep -q "reader: FAIL — channel '' (default): IO thread Connecting" <<<"$out" || fail "IO reason: $out"
t0=$(now_ms)
db a "INSERT INTO t.x (v) VALUES (4)"
commit_ms=$(($(now_ms) - t0))
log "commit with the peer gone took $commit_ms ms (semi-sync timeout 3000 ms)"
((commit_ms >= 2500)) || fail "commit did not wait for semi-sync"
out=$(probe_once a)
grep -q "semi_sync = fell back to async (1 commits without ack)" <<<"$out" || fail "no fallback: $out"
health_is a writer 200 || fail "semi-sync fallback (not fatal) took the writer down"
wait_until 3 metric_is a rsagent_mysql_semi_sync_source_active 0 ||
  fail "fallback not in /metrics"
db_restart b
expect_health a reader 200 15 "peer back"
expect_health b writer 200 15 "peer back"
wait_until 10 db_semi_sync_on a || fail "semi-sync did not come back on a"
pass "peer stopped: IO thread Connecting, semi-sync fallback reported, all back after restart"

# 5. A frozen mysqld: every attempt hits its deadline, the verdict goes down
# on time and /health keeps answering from the cached verdict.
kill -STOP "$(db_pid a)"
t0=$(now_ms)
expect_health a writer 503 5 "SIGSTOP"
down_ms=$(($(now_ms) - t0))
slowest=0
for _ in 1 2 3 4 5; do
  ms=$(ip netns exec "$NS_A" curl -s -o /dev/null -m 2 -w '%{time_total}' \
    http://127.0.0.1:9480/health/db-writer | awk '{printf "%d", $1 * 1000}')
  ((ms > slowest)) && slowest=$ms
  sleep 0.2
done
t1=$(now_ms)
probe_once a >"$TMP/frozen.txt"
probe_ms=$(($(now_ms) - t1))
log "frozen: DOWN after $down_ms ms (fall 2 x 500 ms + 400 ms timeout); slowest /health $slowest ms;" \
  "one-shot probe returned in $probe_ms ms (timeout 400 ms): $(head -1 "$TMP/frozen.txt")"
((down_ms < 3000)) || fail "frozen server not DOWN within 3 s"
((slowest < 500)) || fail "/health slow while the probe hangs: $slowest ms"
grep -q "timed out" "$TMP/frozen.txt" || fail "no timeout reason: $(cat "$TMP/frozen.txt")"
kill -CONT "$(db_pid a)"
expect_health a writer 200 40 "SIGCONT"
pass "SIGSTOP: probe times out, verdict DOWN on time, /health prompt"

# 6. Killed and restarted: DOWN, then UP after rise; once connected the
# agent holds one connection (no new ones). A connect that reaches no server
# is not backed off, so however long the server was down, the probe sees it
# within one interval of accepting connections (issue 16: with a backoff
# grown to 16 s after a 16 s outage it was seen up to 13 s late).
probe_up() {
  ip netns exec "$(db_ns "$1")" curl -s -m 2 http://127.0.0.1:9480/status | python3 -c '
import json, sys
sys.exit(0 if [p for p in json.load(sys.stdin)["probes"] if p["name"] == "mysql"][0]["up"] else 1)'
}
db_kill a
expect_health a writer 503 5 "kill -9"
sleep 16
grep -q "nothing listening: tried again on every run" \
  <(ip netns exec "$NS_A" curl -s -m 2 http://127.0.0.1:9480/status) ||
  fail "the refused connect not explained in /status"
db_restart a  # returns once the server answers SELECT 1
wait_until 10 probe_up a || fail "probe not UP 10 s after the server accepted connections"
log "restarted mysqld: probe UP ${WAITED_MS} ms after it accepted connections (rise 2 x 500 ms)"
((WAITED_MS <= 4000)) || fail "restart seen ${WAITED_MS} ms late (bound: interval + rise x interval + slack)"
expect_health a writer 200 40 "restart"
# b's IO thread reconnecting to a also counts in Connections: let it first.
wait_until 10 db_replicating b || fail "b did not reconnect to a"
c0=$(db_value a "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2)
sleep 5
c1=$(db_value a "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2)
new=$((c1 - c0 - 1))  # minus the db call that read c0
log "connections opened in 5 s of probing (10 runs): $new"
((new == 0)) || fail "the agent opened $new connections in 5 s"
pass "kill -9 + restart: DOWN, UP after rise, no reconnect storm"

# 6b. True lag from a pt-heartbeat table: b's row, applied on a, read with
# only SELECT on the table. A stopped SQL thread makes it grow past max_lag.
db a "CREATE DATABASE hb; CREATE TABLE hb.heartbeat (ts varchar(26) NOT NULL,
  server_id int unsigned NOT NULL PRIMARY KEY, file varchar(255) DEFAULT NULL,
  position bigint unsigned DEFAULT NULL, relay_master_log_file varchar(255) DEFAULT NULL,
  exec_master_log_pos bigint unsigned DEFAULT NULL)"
db a "SET sql_log_bin=0; GRANT SELECT ON hb.heartbeat TO 'rsagent'@'localhost'"
beat() {  # what pt-heartbeat --update --utc writes
  db b "REPLACE INTO hb.heartbeat (ts, server_id)
    VALUES (DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%f'), @@server_id)"
}
write_config hb "socket = \"$(db_sock a)\"" "credentials = \"$TMP/a.cnf\"" \
  'heartbeat_table = "hb.heartbeat"' 'max_lag = "1s"'
hb_probe() { ip netns exec "$NS_A" "$RSAGENT" probe mysql -c "$TMP/hb.toml" 2>&1 || true; }
wait_until 10 [ "$(db_value b "SELECT COUNT(*) FROM hb.heartbeat")" = 0 ] ||
  fail "heartbeat table did not replicate"
beat
wait_until 5 grep -q "reader: PASS" <(hb_probe) || fail "heartbeat reader: $(hb_probe | tr "\n" " ")"
log "heartbeat: $(hb_probe | grep heartbeat_lag)"
db a "STOP REPLICA SQL_THREAD"
sleep 1.5
beat
out=$(hb_probe)
grep -qE "reader: FAIL — heartbeat lag [1-9][0-9]*(\.[0-9]+)?s > max_lag 1s" <<<"$out" || fail "heartbeat lag: $(tr "\n" " " <<<"$out")"
db a "START REPLICA SQL_THREAD"
pass "heartbeat table: true lag, DOWN above max_lag"

# 7. Bad input, each with a clear reason.
bad_case() {  # WHAT GREP CONFIG-LINES...
  local what="$1" want="$2"
  shift 2
  write_config bad "$@"
  local out
  out=$(ip netns exec "$NS_A" "$RSAGENT" probe mysql -c "$TMP/bad.toml" 2>&1 || true)
  grep -qF "$want" <<<"$out" || fail "$what: wanted '$want', got: $out"
  grep -q "probe-pw\|wrong-pw" <<<"$out" && fail "$what: password in the output"
  log "$what: $(head -1 <<<"$out")"
}
printf '[client]\nuser = rsagent\npassword = wrong-pw\n' >"$TMP/wrong.cnf" && chmod 600 "$TMP/wrong.cnf"
bad_case "wrong password" "Access denied for user 'rsagent'@'localhost'" \
  "socket = \"$(db_sock a)\"" "credentials = \"$TMP/wrong.cnf\""
bad_case "missing socket" "connect to $TMP/none.sock: Can't connect to local server through socket" \
  "socket = \"$TMP/none.sock\"" "credentials = \"$TMP/a.cnf\""
cp "$TMP/a.cnf" "$TMP/open.cnf" && chmod 644 "$TMP/open.cnf"
bad_case "world-readable credentials" "mode 0644 lets group or others access it (chmod 600 $TMP/open.cnf)" \
  "socket = \"$(db_sock a)\"" "credentials = \"$TMP/open.cnf\""
pass "bad input: clear reasons, no password shown"
