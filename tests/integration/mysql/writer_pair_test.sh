#!/usr/bin/env bash
# The MySQL pair decides its one writer (docs/mysql.md "The pair: one
# writer"): a real MariaDB master-master pair with semi-sync, an agent with
# [pair] beside each, a DR director stand-in that sends new connections to
# the node whose agent answers 200 for db-writer, a client writing through
# the VIP. Rows of the decision table, in order:
#   1. cold start together: exactly one writer (the lower server_id);
#   2. the issue's reproduction: the writer's mysqld is killed, the standby
#      takes over; the old writer restarts while it cannot reach the peer
#      and must stay DOWN with "cannot confirm I hold the peer's commits";
#   3. healed, it catches up and stays standby: no failback;
#   4. the writer's agent restarts alone: it keeps the role;
#   5. switchover under load: 0 failed and 0 conflicting writes; refused
#      (still the writer, nothing failed) while a client holds a connection;
#   6. writer host gone (mysqld and agent): no writer; promote needs --yes,
#      then makes the survivor the writer (logged, and kept across the
#      agent's restart).
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_pair.sh"
wp_require

wp_setup true
expect_writer() {  # NODE SECONDS WHAT
  wp_wait_one_writer "$2" "$1" ||
    fail "$3: $1 is not the one writer (a: $(wp_health a) $(wp_reason a); b: $(wp_health b) $(wp_reason b))"
  log "$3: writer $WP_WRITER after ${WAITED_MS} ms"
}
promote() { lab_exec "$1" "$RSAGENT" promote db-writer "${@:2}" -c "$TMP/agent-$1.toml"; }

# 1. Cold start together: a (server_id 1) wins the tie; b waits.
expect_writer a 30 "cold start"
grep -q "peer 192.168.1.21 is the writer" <<<"$(wp_reason b)" || fail "b's reason: $(wp_reason b)"
[[ $(mdb_value b "SELECT @@read_only") == 1 ]] || fail "fence: the standby b is not read_only"
pass "cold start: one writer (a), b standby and fenced: $(wp_reason b)"

wp_client_start run
sleep 2

# 2. The issue's reproduction.
mdb_kill a
expect_writer b 20 "a's mysqld killed"
sleep 2  # b takes writes
cut_at=$(now_ms)
wp_cut a b
mdb_restart a
sleep 8
[[ $(wp_health a) == 503 ]] || fail "restarted a without the peer answers $(wp_health a)"
reason=$(wp_reason a)
grep -q "cannot confirm I hold the peer's commits" <<<"$reason" || fail "a's reason: $reason"
[[ $(wp_health b) == 200 ]] || fail "b lost the role while a was cut off"
pass "a restarted, cannot reach b: DOWN — $reason"

# 3. Healed: a catches up and stays standby.
wp_heal a
# For 5 s a never answers 200 (while it catches up it re-sends b its own
# transactions, and b's writer verdict may blip DOWN under load); then b is
# the one writer.
for ((i = 0; i < 20; i++)); do
  [[ $(wp_health a) != 200 ]] || fail "after heal: a answers 200 (failback); b $(wp_health b)"
  sleep 0.25
done
expect_writer b 15 "after heal"
grep -q "peer 192.168.1.22 is the writer" <<<"$(wp_reason a)" || fail "a's reason: $(wp_reason a)"
pass "healed: no failback, a says: $(wp_reason a)"

# 4. The writer's agent alone restarts: it keeps the role.
wp_agent_kill b
sleep 2
[[ $(wp_writer_count) == 0 ]] || fail "a took the role while b's agent was down"
wp_agent_start b
expect_writer b 10 "b's agent restarted"
pass "agent restart alone: b keeps the role (a never took it)"

wp_client_stop run
wp_wait_one_writer 10 || fail "no writer before the check"
wp_check run 0 "faults 2-4: " || fail "invariants violated"

# 5. Switchover b -> a under load: nothing fails, nothing conflicts.
k_base=$(mdb_value b "SELECT COALESCE(MAX(k), 0) FROM t.w")
WP_K_BASE=$((k_base + 1000)) wp_client_start switch
sleep 2
out=$(lab_exec b "$RSAGENT" switchover db-writer -c "$TMP/agent-b.toml" 2>&1) || fail "switchover: $out"
log "switchover:"$'\n'"$out"
expect_writer a 10 "switchover"
sleep 2
wp_client_stop switch
wp_check switch $((k_base + 1000)) "switchover: " >"$TMP/switch.txt" || fail "$(cat "$TMP/switch.txt")"
cat "$TMP/switch.txt" >&2
grep -q "refused 0 ambiguous 0" "$TMP/switch.txt" ||
  fail "writes failed during the switchover: $(cat "$TMP/switch.txt"); $(grep -v " ok " "$TMP/client-switch.log" | head -5)"
grep -q "violations 0" "$TMP/switch.txt" || fail "$(cat "$TMP/switch.txt")"
pass "switchover b -> a: $(cat "$TMP/switch.txt")"

# Refused when unsafe: b is not the writer now.
out=$(lab_exec b "$RSAGENT" switchover db-writer -c "$TMP/agent-b.toml" 2>&1) && fail "switchover on the standby succeeded"
grep -q "this node is not the writer" <<<"$out" || fail "refusal: $out"
pass "switchover refused on the standby: $out"

# 5b. A client that keeps its connection open (a pool) would still write on
# a after read_only=ON: the switchover waits for it to end, then refuses
# (bounded by switchover_timeout); a stays the writer, read_only untouched,
# and the held connection still writes.
start_bg "${LAB_NS[client]}" "$TMP/held.out" "$WP_PYTHON" -c '
import os, sys, time, pymysql
c = pymysql.connect(host=sys.argv[1], user="app", password="app-pw", database="t", autocommit=False)
print("connected", flush=True)
while not os.path.exists(sys.argv[2]):
    time.sleep(0.1)
with c.cursor() as cur:
    cur.execute("INSERT INTO t.w (k, srv) VALUES (900000001, @@server_id)")
c.commit()
print("wrote", flush=True)' "$WP_VIP" "$TMP/held.stop"
held_pid=$BG_PID
wait_until 10 grep -q connected "$TMP/held.out" || fail "the held connection: $(cat "$TMP/held.out")"
out=$(lab_exec a "$RSAGENT" switchover db-writer -c "$TMP/agent-a.toml" 2>&1) &&
  fail "switchover with a held client connection succeeded: $out"
log "switchover with a held connection:"$'\n'"$out"
grep -q "1 client connection to $WP_VIP:3306 still open" <<<"$out" || fail "refusal: $out"
grep -q "still the writer (read_only untouched, no write failed)" <<<"$out" || fail "refusal: $out"
expect_writer a 10 "after the refused switchover"
[[ $(mdb_value a "SELECT @@read_only") == 0 ]] || fail "a is read_only after the refused switchover"
touch "$TMP/held.stop"
wait "$held_pid" || true
grep -q wrote "$TMP/held.out" || fail "the held connection could not write: $(cat "$TMP/held.out")"
pass "switchover refused while a client holds a connection: a stays the writer, the held connection wrote"

# 5c. A client whose packets stop arriving (a flow the director lost): a
# retransmits its answer to nobody and keeps the socket ESTABLISHED for
# minutes. That client cannot write, so it does not hold the switchover.
start_bg "${LAB_NS[client]}" "$TMP/phantom.out" "$WP_PYTHON" -c '
import sys, pymysql
c = pymysql.connect(host=sys.argv[1], user="app", password="app-pw", database="t", read_timeout=60)
print("querying", c._sock.getsockname()[1], flush=True)
with c.cursor() as cur:
    cur.execute("SELECT SLEEP(3)")' "$WP_VIP"
phantom_pid=$BG_PID
wait_until 10 grep -q querying "$TMP/phantom.out" || fail "the phantom client: $(cat "$TMP/phantom.out")"
port=$(awk '/querying/ {print $NF}' "$TMP/phantom.out")
sleep 0.5  # the query is on its way; its answer comes in 3 s and is lost
lab_exec client nft -f - <<NFT
table inet wp_phantom {
  chain in { type filter hook input priority 0; tcp dport $port drop; }
  chain out { type filter hook output priority 0; tcp sport $port drop; }
}
NFT
sleep 4
out=$(lab_exec a "$RSAGENT" switchover db-writer -c "$TMP/agent-a.toml" 2>&1) ||
  fail "switchover with an unanswered connection refused: $out; a's side: $(lab_exec a ss -tnoi "( sport = :3306 )")"
log "switchover with an unanswered connection:"$'\n'"$out"
grep -q "ignored a connection whose client stopped answering: 192.168.1.50:$port ESTABLISHED" <<<"$out" ||
  fail "the switchover did not name the unanswered connection: $out"
expect_writer b 10 "switchover past an unanswered connection"
kill "$phantom_pid" 2>/dev/null || true
lab_exec client nft delete table inet wp_phantom
# Right after the handover a may not yet report itself ready to take the role
# back (b refuses with a's reason until it does): retry, as an operator would.
for ((i = 0; i < 20; i++)); do
  out=$(lab_exec b "$RSAGENT" switchover db-writer -c "$TMP/agent-b.toml" 2>&1) && break
  grep -q "could not take the role" <<<"$out" || fail "switchover back: $out"
  sleep 0.5
done
grep -q "switchover done" <<<"$out" || fail "switchover back: $out"
expect_writer a 10 "switchover back"
pass "switchover past a connection whose client stopped answering (named, not waited for)"

# 6. The writer's host goes away (mysqld and agent): no writer; promote.
wp_agent_kill a
mdb_kill a
sleep 4
[[ $(wp_writer_count) == 0 ]] || fail "a writer without any proof"
grep -q "cannot confirm I hold the peer's commits" <<<"$(wp_reason b)" || fail "b's reason: $(wp_reason b)"
out=$(promote b 2>&1) && fail "promote without --yes succeeded"
grep -q "confirm with --yes" <<<"$out" || fail "promote refusal: $out"
out=$(promote b --yes 2>&1) || fail "promote --yes: $out"
log "promote: $out"
expect_writer b 10 "promote"
grep -q '"note": "promoted by admin at' "$TMP/state-b/writer.json" || fail "not persisted: $(cat "$TMP/state-b/writer.json")"
grep -q "pair: promoted by admin: writer of db-writer in term" "$TMP"/agent-b.log.* ||
  fail "promote not logged: $(tail -n 5 "$(ls -t "$TMP"/agent-b.log.* | head -1)")"
# Persisted like drain: the promoted role survives the agent's restart.
wp_agent_kill b
wp_agent_start b
expect_writer b 10 "b's agent restarted after promote"
# a returns: it must not take the role back.
mdb_restart a
wp_agent_start a
sleep 6
[[ $(wp_health a) == 503 && $(wp_health b) == 200 ]] || fail "after a returned: a $(wp_health a), b $(wp_health b)"
pass "host gone: no writer until promote --yes; the returning node stays standby ($(wp_reason a))"
