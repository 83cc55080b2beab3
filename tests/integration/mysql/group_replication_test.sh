#!/usr/bin/env bash
# The group_replication probe against a real single-primary group of three
# Oracle MySQL 9.7 servers (sid's mysql-server with its group_replication
# plugin, chrooted from the cached sid root), one member per namespace on one
# bridge, an agent beside each: the agents' writer/reader verdicts match
# MEMBER_ROLE; kill -9 of the primary -> the group elects a new one and
# exactly one agent says writer (timed); the killed member restarts and
# rejoins: RECOVERING is neither role, ONLINE SECONDARY is reader; a member
# whose group communication alone is blocked is expelled while its mysqld and
# agent stay reachable: neither role (minority, then ERROR/offline mode), and
# back through RECOVERING to reader once it rejoins (both timed); a member
# partitioned into a minority (nftables) is neither while the majority serves,
# then leaves the group by itself (ERROR, offline mode) and stays neither
# when the partition heals.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/rootfs.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mysql_root.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/group_replication.sh"
require_root
require_cmd debootstrap zstd curl ip nft jq
make_tmp
test_start=$(now_ms)
mysql_root
[[ -e $MYSQL_ROOT/usr/lib/mysql/plugin/group_replication.so ]] ||
  { log "SKIP: sid's mysql-server has no group_replication.so"; exit 77; }

lab_switch
NODES=(m1 m2 m3)
# m2 outweighs m3: the group elects it when m1, the first primary, dies.
gr_node m1 10.79.0.1 50
gr_node m2 10.79.0.2 70
gr_node m3 10.79.0.3 30
t0=$(now_ms)
gr_bootstrap m1
gr_join m2
gr_join m3
log "3-member group ONLINE in $(($(now_ms) - t0)) ms"
printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/probe.cnf"
chmod 600 "$TMP/probe.cnf"

for x in "${NODES[@]}"; do
  mkdir -p "$TMP/state-$x"
  cat >"$TMP/$x.toml" <<TOML
[agent]
listen = "0.0.0.0:9480"
state_dir = "$TMP/state-$x"
control_socket = "$TMP/run-$x/control.sock"
shutdown_grace = "0s"

[probe.gr]
type = "group_replication"
socket = "$(my_sock "$x")"
credentials = "$TMP/probe.cnf"
max_lag = 100
interval = "300ms"
timeout = "300ms"
rise = 2
fall = 2

[service.db-writer]
port = 3306
probes = ["gr"]
role = "writer"

[service.db-reader]
port = 3306
probes = ["gr"]
role = "reader"
TOML
  start_bg "${MY_NS[$x]}" "$TMP/agent-$x.log" "$RSAGENT" run -c "$TMP/$x.toml"
done

health() { http_code "${MY_NS[$1]}" "http://127.0.0.1:9480/health/db-$2"; }
health_is() { [[ $(health "$1" "$2") == "$3" ]]; }
status_json() { ip netns exec "${MY_NS[$1]}" curl -s -m 2 http://127.0.0.1:9480/status; }
role_reason() {  # NODE ROLE
  status_json "$1" | jq -r ".probes[] | select(.name == \"gr\") | .roles.$2.reason"
}
metrics() { ip netns exec "${MY_NS[$1]}" curl -s -m 2 http://127.0.0.1:9480/metrics; }
metric() {  # NODE NAME [LABELS]: the value of the series NAME{probe,type[,LABELS]}
  local labels="probe=\"gr\",type=\"group_replication\"${3:+,$3}"
  metrics "$1" | awk -v s="$2{$labels}" '$1 == s {print $2; exit}'
}
expect_health() {  # NODE ROLE CODE SECONDS WHAT
  wait_until "$4" health_is "$1" "$2" "$3" || {
    tail -5 "$TMP/agent-$1.log" >&2
    status_json "$1" | jq -c '.probes[] | select(.name == "gr")' >&2
    fail "$5: $1 db-$2 is $(health "$1" "$2"), wanted $3"
  }
}
reason_has() { [[ $(role_reason "$1" "$2") == *"$3"* ]]; }  # NODE ROLE TEXT
expect_reason() {  # NODE ROLE TEXT [SECONDS]
  wait_until "${4:-0}" reason_has "$1" "$2" "$3" ||
    fail "$1 $2 reason: wanted '$3', got '$(role_reason "$1" "$2")'"
}
# The verdicts of every live agent match MEMBER_ROLE as the member reports it.
verdicts_match_roles() {  # NODE...
  local x role
  for x in "$@"; do
    role=$(gr_member_role "$x")
    case $role in
      PRIMARY) health_is "$x" writer 200 && health_is "$x" reader 503 || return 1 ;;
      SECONDARY) health_is "$x" writer 503 && health_is "$x" reader 200 || return 1 ;;
      *) return 1 ;;
    esac
  done
}
writers() {  # NODE...: the agents that answer writer 200
  local x
  for x in "$@"; do health_is "$x" writer 200 && printf '%s ' "$x"; done
  true
}

# 1. A healthy group: m1 writer, m2 and m3 readers, as MEMBER_ROLE says.
wait_until 20 verdicts_match_roles "${NODES[@]}" ||
  fail "verdicts do not match roles: $(for x in "${NODES[@]}"; do
    echo "$x $(gr_member_role "$x") writer $(health "$x" writer) reader $(health "$x" reader);"
  done)"
[[ $(gr_member_role m1) == PRIMARY ]] || fail "m1 is $(gr_member_role m1) after bootstrap"
expect_reason m1 writer "writable, ONLINE PRIMARY, 3 members: 3 ONLINE"
expect_reason m2 reader "ONLINE SECONDARY, 3 members: 3 ONLINE, applier queue"
expect_reason m2 writer "member role SECONDARY, not PRIMARY; the primary is 10.79.0.1:3306"
[[ $(metric m2 rsagent_mysql_group_members 'state="ONLINE"') == 3 ]] ||
  fail "metrics: $(metrics m2 | grep group)"
[[ $(metric m1 rsagent_mysql_group_member_primary) == 1 ]] || fail "m1 primary metric"
[[ $(metric m3 rsagent_mysql_group_member_info 'role="SECONDARY",state="ONLINE"') == 1 ]] ||
  fail "m3 info metric: $(metrics m3 | grep member_info)"
if command -v promtool >/dev/null; then
  out=$(metrics m2 | promtool check metrics 2>&1) || fail "promtool check metrics: $out"
  [[ -z $out ]] || fail "promtool check metrics findings: $out"
fi
pass "healthy group: m1 writer, m2 and m3 readers, as MEMBER_ROLE says"

# 2. kill -9 of the primary: the group suspects m1 after XCom's 5 s, expels
# it (member_expel_timeout = 0) and elects m2 (the heaviest); m2's agent
# says writer once super_read_only is OFF, m1's says 503 once its mysqld
# stops answering. Never two writers.
my m1 "CREATE DATABASE t; CREATE TABLE t.x (id INT PRIMARY KEY AUTO_INCREMENT, v INT)"
kill_at=$(now_ms)
my_kill m1
old_503=""
new_200=""
two_writers=""
deadline=$((SECONDS + 40))
while ((SECONDS < deadline)) && [[ -z $new_200 || -z $old_503 ]]; do
  w=$(writers "${NODES[@]}")
  [[ $(wc -w <<<"$w") -gt 1 ]] && two_writers="$w"
  [[ -z $old_503 ]] && health_is m1 writer 503 && old_503=$(($(now_ms) - kill_at))
  [[ -z $new_200 && $w == "m2 " ]] && new_200=$(($(now_ms) - kill_at))
  sleep 0.05
done
[[ -z $two_writers ]] || fail "two writers after the primary's kill: $two_writers"
[[ -n $old_503 ]] || fail "m1's writer still $(health m1 writer) 40 s after its kill"
[[ -n $new_200 ]] ||
  fail "no new writer 40 s after the kill: m2 $(gr_member_role m2) writer $(health m2 writer) ($(role_reason m2 writer)); m3 writer $(health m3 writer)"
[[ $(gr_member_role m2) == PRIMARY ]] || fail "m2 is $(gr_member_role m2), its agent says writer"
[[ $(writers "${NODES[@]}") == "m2 " ]] || fail "writers after failover: $(writers "${NODES[@]}")"
expect_health m3 reader 200 5 "after failover"
expect_reason m1 writer "not answering"
log "primary m1 killed: its writer 503 after $old_503 ms, m2's writer 200 after $new_200 ms"
pass "failover: exactly one writer, the new primary m2 (old 503 in $old_503 ms, new 200 in $new_200 ms)"

# NODE starts group replication again and rejoins: with a wrong recovery
# password it finds no donor it may copy the transactions it missed from and
# stays RECOVERING, neither role for 3 s of agent answers; with the right one
# it recovers and is an ONLINE SECONDARY: reader. Sets RECOVERING_REASON and
# REJOIN_MS (the last START GROUP_REPLICATION to reader 200).
rejoin_through_recovering() {  # NODE
  local x="$1" start since
  gr_recovery_password "$x" wrong-pw
  start=$(now_ms)
  my "$x" "START GROUP_REPLICATION" || true  # returns once the member has joined, before recovery
  log "START GROUP_REPLICATION on $x with a wrong recovery password returned after $(($(now_ms) - start)) ms"
  wait_until 30 _gr_state_is "$x" "$x" RECOVERING || fail "$x not RECOVERING: $(gr_member_state "$x")"
  since=$(now_ms)
  expect_reason "$x" reader "member state RECOVERING, not ONLINE" 5
  RECOVERING_REASON=$(role_reason "$x" reader)
  while (($(now_ms) - since < 3000)); do
    [[ $(gr_member_state "$x") == RECOVERING ]] ||
      fail "$x left RECOVERING by itself: $(gr_member_state "$x")"
    health_is "$x" writer 503 && health_is "$x" reader 503 ||
      fail "RECOVERING $x: writer $(health "$x" writer), reader $(health "$x" reader)"
    sleep 0.2
  done
  my "$x" "STOP GROUP_REPLICATION" || fail "stop group replication on $x"
  gr_recovery_password "$x" repl-pw
  start=$(now_ms)
  gr_join "$x"
  expect_health "$x" reader 200 10 "rejoined"
  REJOIN_MS=$(($(now_ms) - start))
  expect_health "$x" writer 503 1 "rejoined"
}

# 3. m1 restarts and rejoins the transactions it missed (on m2 and m3):
# RECOVERING is neither role, ONLINE SECONDARY is reader.
for i in $(seq 1 50); do echo "INSERT INTO t.x (v) VALUES ($i);"; done >"$TMP/rows.sql"
my m2 "$(cat "$TMP/rows.sql")" || fail "writes on the new primary"
gr_start_mysqld m1
rejoin_through_recovering m1
pass "RECOVERING member: neither writer nor reader ($RECOVERING_REASON)"
[[ $(my_value m1 "SELECT COUNT(*) FROM t.x") == 50 ]] || fail "m1 did not recover the 50 rows"
verdicts_match_roles "${NODES[@]}" || fail "verdicts after the rejoin do not match roles"
pass "m1 rejoined: ONLINE SECONDARY, reader, with the 50 rows it missed"

# 4. m1 expelled while reachable: only its group communication (XCom, port
# 33061) is dropped, its mysqld and its agent answer on the bridge as before.
# After XCom's 5 s m1 sees m2 and m3 UNREACHABLE (a minority: neither role)
# and the majority expels it; 20 s later (unreachable_majority_timeout) m1
# leaves by itself: ERROR, offline mode, still neither. A director on the
# bridge gets the agent's 503 all along, never a timeout. Unblocked, m1
# rejoins through RECOVERING (neither) to ONLINE SECONDARY (reader).
director_view() {  # NODE ROLE: the code a director on the bridge gets from NODE's agent
  http_code "${MY_NS[m2]}" "http://${GR_ADDR[$1]}:9480/health/db-$2"
}
expel_at=$(now_ms)
gr_block_xcom m1
expect_health m1 reader 503 30 "group communication blocked"
expel_ms=$(($(now_ms) - expel_at))
expect_reason m1 reader "no quorum: this member sees 2 of 3 members UNREACHABLE"
minority_reason=$(role_reason m1 reader)
expect_health m1 writer 503 1 "group communication blocked"
wait_until 30 eval '[[ -z $(gr_member_state m2 m1) ]]' ||
  fail "the majority did not expel m1: m2 sees it $(gr_member_state m2 m1)"
majority_ms=$(($(now_ms) - expel_at))
expect_health m2 writer 200 5 "majority after m1's expulsion"
expect_health m3 reader 200 5 "majority after m1's expulsion"
my m2 "INSERT INTO t.x (v) VALUES (77)" || fail "the majority cannot commit"
ip netns exec "${MY_NS[m2]}" timeout 2 bash -c "exec 3<>/dev/tcp/${GR_ADDR[m1]}/3306" ||
  fail "m1's mysqld is not reachable on the bridge: the drill is a partition, not an expulsion"
# The member leaves its minority by itself; its agent answers 503 throughout.
while ! _gr_state_is m1 m1 ERROR; do
  (($(now_ms) - expel_at < 60000)) || fail "m1 not ERROR 60 s after its expulsion: $(gr_member_state m1)"
  [[ $(director_view m1 reader) == 503 && $(director_view m1 writer) == 503 ]] ||
    fail "expelled m1 to a director: writer $(director_view m1 writer), reader $(director_view m1 reader) ($(role_reason m1 reader))"
  sleep 0.2
done
error_ms=$(($(now_ms) - expel_at))
expect_reason m1 reader "offline mode" 5
expect_reason m1 writer "(GR) leave group on failure" 1
[[ $(director_view m1 reader) == 503 ]] || fail "m1 in ERROR to a director: $(director_view m1 reader)"
log "m1 expelled: its agent neither after $expel_ms ms (minority), the majority expelled it after $majority_ms ms, ERROR after $error_ms ms"
pass "expelled, reachable m1: neither role ($minority_reason; then $(role_reason m1 reader))"
gr_unblock_xcom m1
my m1 "SET GLOBAL offline_mode = OFF; STOP GROUP_REPLICATION" || fail "reset m1 after its expulsion"
rejoin_through_recovering m1
[[ $(my_value m1 "SELECT COUNT(*) FROM t.x WHERE v = 77") == 1 ]] ||
  fail "m1 did not recover the row committed while it was expelled"
verdicts_match_roles "${NODES[@]}" || fail "verdicts after m1's rejoin do not match roles"
log "m1 rejoined after its expulsion: reader 200 $REJOIN_MS ms after START GROUP_REPLICATION"
pass "expelled m1 rejoined: RECOVERING neither ($RECOVERING_REASON), then ONLINE SECONDARY reader in $REJOIN_MS ms"

# 5. m3 cut off from the others: after XCom's 5 s it sees m1 and m2
# UNREACHABLE (2 of 3, a minority) and is neither role; the majority expels
# it and keeps its writer and reader.
cut_at=$(now_ms)
gr_partition m3
expect_health m3 reader 503 30 "partitioned"
cut_ms=$(($(now_ms) - cut_at))
expect_reason m3 reader "no quorum: this member sees 2 of 3 members UNREACHABLE"
expect_health m3 writer 503 1 "partitioned"
[[ $(metric m3 rsagent_mysql_group_quorum) == 0 ]] || fail "m3 quorum metric"
expect_health m2 writer 200 1 "majority while m3 is cut off"
expect_health m1 reader 200 10 "majority while m3 is cut off"
my m2 "INSERT INTO t.x (v) VALUES (99)" || fail "the majority cannot commit"
log "m3 partitioned: its reader 503 after $cut_ms ms"
pass "minority member m3: neither role ($(role_reason m3 reader)); the majority serves"

# 6. After group_replication_unreachable_majority_timeout (20 s) m3 leaves
# the group by itself: ERROR, and MySQL 8.4+'s exit_state_action
# (OFFLINE_MODE) refuses every login without CONNECTION_ADMIN, the probe's
# too. Then the partition heals: m3 never turns writer or reader (polled).
wait_until 40 _gr_state_is m3 m3 ERROR || fail "m3 not ERROR in its minority: $(gr_member_state m3)"
expect_reason m3 reader "offline mode" 5
expect_reason m3 reader "(GR) leave group on failure" 1
gr_heal m3
heal_at=$(now_ms)
while (($(now_ms) - heal_at < 5000)); do
  health_is m3 reader 503 && health_is m3 writer 503 ||
    fail "m3 after the heal: writer $(health m3 writer), reader $(health m3 reader) ($(role_reason m3 reader))"
  sleep 0.1
done
verdicts_match_roles m1 m2 || fail "the majority's verdicts changed when m3 came back"
pass "m3 left its minority (ERROR, offline mode), the heal changes nothing: neither role ($(role_reason m3 reader))"

log "whole test $(($(now_ms) - test_start)) ms"
