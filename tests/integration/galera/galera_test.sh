#!/usr/bin/env bash
# The galera probe against a real 3-node MariaDB Galera cluster (galera-4),
# one node per namespace on one bridge, an agent beside each: writer/reader
# verdicts and their reasons over /health and /status through read_only,
# desync, a node partitioned into a non-Primary component (nftables), a
# killed node, its rejoin by SST with the donor's verdicts, and drain.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/galera.sh"
require_root
command -v mariadbd >/dev/null || { log "SKIP: no mariadbd"; exit 77; }
[[ -e /usr/lib/galera/libgalera_smm.so ]] || { log "SKIP: no galera-4 (libgalera_smm.so)"; exit 77; }
require_cmd mariadb mariadb-install-db rsync nft curl jq ip
make_tmp; [[ -n ${KEEP_TMP:-} ]] && on_exit "rm -rf $KEEP_TMP; cp -r \$TMP $KEEP_TMP"
test_start=$(now_ms)

lab_switch
NODES=(g1 g2 g3)
for i in 1 2 3; do gal_node "g$i" "10.78.0.$i"; done
GAL_SST_DONOR=g1
t0=$(now_ms)
gal_bootstrap g1
gal_join g2
gal_join g3
log "3-node cluster synced in $(($(now_ms) - t0)) ms"

# The probe user needs no privilege beyond USAGE (SHOW GLOBAL STATUS and
# VARIABLES); created once, Galera replicates it.
mdb g1 "CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw'"
printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/probe.cnf"
chmod 600 "$TMP/probe.cnf"

agent_config() {  # NAME
  cat >"$TMP/$1.toml" <<TOML
[agent]
listen = "127.0.0.1:9480"
state_dir = "$TMP/state-$1"
control_socket = "$TMP/run-$1/control.sock"  # the agent makes its directory 0750
shutdown_grace = "0s"

[probe.galera]
type = "galera"
socket = "$(mdb_sock "$1")"
credentials = "$TMP/probe.cnf"
interval = "250ms"
timeout = "200ms"
rise = 2
fall = 2

# clustercheck's AVAILABLE_WHEN_DONOR=1
[probe.galera-donor]
type = "galera"
socket = "$(mdb_sock "$1")"
credentials = "$TMP/probe.cnf"
available_when_donor = true
interval = "250ms"
timeout = "200ms"

[service.db-writer]
port = 3306
probes = ["galera"]
role = "writer"

[service.db-reader]
port = 3306
probes = ["galera"]
role = "reader"

[service.db-donor-ok]
port = 3306
probes = ["galera-donor"]
role = "reader"
TOML
  mkdir -p "$TMP/state-$1"
}
start_agent() {  # NAME
  start_bg "${MDB_NS[$1]}" "$TMP/agent-$1.log" "$RSAGENT" run -c "$TMP/$1.toml"
}
for x in "${NODES[@]}"; do
  agent_config "$x"
  start_agent "$x"
done

health() { http_code "${MDB_NS[$1]}" "http://127.0.0.1:9480/health/db-$2"; }
health_is() { [[ $(health "$1" "$2") == "$3" ]]; }
status_json() { ip netns exec "${MDB_NS[$1]}" curl -s -m 2 http://127.0.0.1:9480/status; }
# The current reason of ROLE's verdict of probe `galera` on NODE.
role_reason() {  # NODE ROLE
  status_json "$1" | jq -r ".probes[] | select(.name == \"galera\") | .roles.$2.reason"
}
metric() {  # NODE NAME
  ip netns exec "${MDB_NS[$1]}" curl -s -m 2 http://127.0.0.1:9480/metrics |
    awk -v n="$2" '$1 ~ "^"n"[{ ]" || $1 == n {print $2; exit}'
}
size_is() { [[ $(metric "$1" rsagent_mysql_wsrep_cluster_size) == "$2" ]]; }
expect_health() {  # NODE ROLE CODE SECONDS WHAT
  wait_until "$4" health_is "$1" "$2" "$3" || {
    tail -5 "$TMP/agent-$1.log" >&2
    status_json "$1" >&2
    fail "$5: $1 db-$2 is $(health "$1" "$2"), wanted $3"
  }
  log "$5: $1 db-$2 -> $3 after ${WAITED_MS} ms"
}
expect_reason() {  # NODE ROLE TEXT
  local got
  got=$(role_reason "$1" "$2")
  [[ $got == *"$3"* ]] || fail "$1 $2 reason: wanted '$3', got '$got'"
}
all_up() {
  local x r
  for x in "${NODES[@]}"; do
    for r in writer reader; do expect_health "$x" "$r" 200 "$1" "${2:-start}"; done
  done
}

# 1. A synced cluster: every node is a writer and a reader.
all_up 15
expect_reason g1 writer "writable, synced, 3 nodes"
size_is g1 3 || fail "cluster size metric: $(metric g1 rsagent_mysql_wsrep_cluster_size)"
ip netns exec "${MDB_NS[g1]}" curl -s -m 2 http://127.0.0.1:9480/metrics |
  grep -q 'rsagent_mysql_wsrep_local_state_info{.*state="Synced".*} 1' || fail "no state comment metric"
[[ -n $(metric g1 rsagent_mysql_wsrep_flow_control_paused_ratio) &&
   -n $(metric g1 rsagent_mysql_wsrep_local_recv_queue) ]] || fail "no flow control/queue metrics"
pass "synced cluster: all writers and readers UP; size, state, flow control, queue in /metrics"

# 2. read_only: the writer goes, the reader stays (clustercheck's
# AVAILABLE_WHEN_READONLY=0 is the writer role, =1 the reader role).
mdb g2 "SET GLOBAL read_only=1"
expect_health g2 writer 503 5 "read_only=1"
health_is g2 reader 200 || fail "read_only took the reader down"
expect_reason g2 writer "read_only is ON"
mdb g2 "SET GLOBAL read_only=0"
expect_health g2 writer 200 5 "read_only=0"
pass "read_only: writer DOWN with its reason, reader unaffected"

# 3. Desync (what a backup tool does): both roles go, even with
# available_when_donor, and come back when it ends.
mdb g2 "SET GLOBAL wsrep_desync=ON"
t0=$(now_ms)
expect_health g2 reader 503 5 "wsrep_desync=ON"
desync_ms=$(($(now_ms) - t0))
health_is g2 donor-ok 503 || fail "desync must be DOWN even with available_when_donor"
expect_reason g2 reader "desynced: wsrep_desync is ON (wsrep_local_state 2 (Donor/Desynced))"
mdb g2 "SET GLOBAL wsrep_desync=OFF"
expect_health g2 reader 200 5 "wsrep_desync=OFF"
pass "desync: DOWN after $desync_ms ms with its reason, UP again after"

# 4. Partition g3 away: alone it is a non-Primary component and must not
# serve; g1 and g2 keep quorum and stay UP.
gal_partition g3
t0=$(now_ms)
expect_health g3 reader 503 10 "partitioned"
partition_ms=$(($(now_ms) - t0))
expect_reason g3 reader "not in the Primary component (wsrep_cluster_status is non-Primary"
expect_reason g3 writer "not in the Primary component"
wait_until 10 size_is g1 2 || fail "g1 still counts 3 nodes"
for x in g1 g2; do health_is "$x" writer 200 || fail "$x lost its writer in the partition"; done
gal_heal g3
t0=$(now_ms)
expect_health g3 reader 200 40 "partition healed"
heal_ms=$(($(now_ms) - t0))
expect_health g3 writer 200 5 "partition healed"
pass "partition: g3 DOWN (non-Primary) after $partition_ms ms, majority UP; back $heal_ms ms after healing"

# 5. Kill g3: its agent says why; the others stay UP with 2 nodes.
gal_kill g3
t0=$(now_ms)
expect_health g3 reader 503 5 "kill -9"
kill_ms=$(($(now_ms) - t0))
expect_reason g3 reader "not answering: "
wait_until 20 size_is g1 2 ||
  fail "g1 did not evict the killed node: metric $(metric g1 rsagent_mysql_wsrep_cluster_size)," \
    "server $(gal_status g1 cluster_size) $(gal_status g1 local_state_comment)"
log "g1 evicted the killed g3 after ${WAITED_MS} ms"
pass "kill -9: g3 DOWN after $kill_ms ms (not answering), g1 counts 2 nodes"

# 6. Rejoin: a killed node's state is unknown (seqno -1), so it gets a full
# SST from g1. While g1 donates, its reader is DOWN ("donor"), its
# available_when_donor twin stays UP; both come back once g1 is synced.
: >"$TMP/donor.log"
watch_donor() {
  while :; do
    status_json g1 | jq -r '[(.probes[] | select(.name == "galera") | .roles.reader.reason),
      (.probes[] | select(.name == "galera-donor") | "\(.last.ok) \(.last.details.wsrep_local_state)")]
      | join(" | ")' >>"$TMP/donor.log" 2>/dev/null
    sleep 0.1
  done
}
watch_donor &
watcher=$!
on_exit "kill $watcher"
t0=$(now_ms)
_gal_launch g3
gal_wait_synced g3 60
rejoin_ms=$(($(now_ms) - t0))
all_up 15 "after rejoin"
kill "$watcher"
grep -q "^donor: wsrep_local_state 2 (Donor/Desynced), available_when_donor is off" "$TMP/donor.log" ||
  fail "g1's reader never said donor during the SST: $(sort "$TMP/donor.log" | uniq -c)"
grep -q "| true 2 Donor/Desynced$" "$TMP/donor.log" ||
  fail "available_when_donor was not UP while g1 donated: $(sort "$TMP/donor.log" | uniq -c)"
grep -q "Donor" "$(mdb_dir g1)/error.log" || fail "g1 was not the donor"
log "g1 while g3 rejoined (samples every 100 ms):"
sort "$TMP/donor.log" | uniq -c | sed 's/^/    /' >&2
pass "rejoin by SST in $rejoin_ms ms: donor DOWN, available_when_donor UP, all UP after"

# 7. clustercheck's disable file is the drain command here.
ip netns exec "${MDB_NS[g1]}" "$RSAGENT" drain db-reader -c "$TMP/g1.toml" >/dev/null
expect_health g1 reader 503 3 "drain"
ip netns exec "${MDB_NS[g1]}" "$RSAGENT" undrain db-reader -c "$TMP/g1.toml" >/dev/null
expect_health g1 reader 200 3 "undrain"
pass "drain/undrain (clustercheck's disable file)"

log "detection (interval 250 ms, fall 2): desync $desync_ms ms, partition $partition_ms ms," \
  "kill $kill_ms ms; partition heal to UP $heal_ms ms; SST rejoin $rejoin_ms ms;" \
  "whole test $(($(now_ms) - test_start)) ms"
