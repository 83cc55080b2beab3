#!/usr/bin/env bash
# The decision table's rows (docs/mysql.md "The decision table") that
# writer_pair_test.sh does not walk, against the same real MariaDB pair with
# [pair] agents behind the director stand-in, a client writing through the
# VIP all along:
#   0. fence: the standby is read_only=ON, its reader verdict still UP;
#   1. the standby's mysqld dies: the writer keeps the role; the standby
#      returns as standby;
#   2. partition between the two servers, both reachable by the director:
#      the writer keeps the role, the standby says it cannot read the peer;
#   2b. partition agent<->agent only: the same, the standby cannot tell who
#      is the writer;
#   2c. the standby's agent down: the writer keeps the role, a switchover
#      is refused with the reason;
#   3. the writer's host unreachable (from the peer and the director): no
#      writer, the standby says why; healed, the same writer again;
#   4. both down, one returns alone: no writer, with the reason; the other
#      back: exactly one writer.
# Then the invariants over the whole run (no lost, stale or overlapping write).
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_pair.sh"
wp_require

wp_role() {  # X: the role in X's /writer report
  ip netns exec "${LAB_NS[dir]}" curl -s -m 2 "http://${WP_IP[$1]}:9480/writer" |
    "$WP_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["role"])' 2>/dev/null || echo "(no answer)"
}
# For SECONDS: NODE holds the writer role (its /writer report) and its peer
# never answers 200; then NODE is the one writer. NODE's own verdict may blip
# DOWN meanwhile (its probe's writer verdict while it catches up with what
# the peer sends it back): logged, not failed.
stays_writer() {  # NODE SECONDS WHAT
  local peer role end=$(($(now_ms) + $2 * 1000)) down=0 ticks=0
  peer=$(wp_peer "$1")
  while (($(now_ms) < end)); do
    role=$(wp_role "$1")
    [[ $role == "(no answer)" ]] && { sleep 0.25; role=$(wp_role "$1"); }  # one slow answer under load
    [[ $role == writer && $(wp_health "$peer") != 200 ]] ||
      fail "$3: $1 $(wp_role "$1") $(wp_health "$1") ($(wp_reason "$1")), $peer $(wp_health "$peer") ($(wp_reason "$peer"))"
    ticks=$((ticks + 1))
    [[ $(wp_health "$1") == 200 ]] || { down=$((down + 1)); log "$3: $1 holds the role, answers DOWN: $(wp_reason "$1")"; }
    sleep 0.25
  done
  wp_wait_one_writer 10 "$1" || fail "$3: $1 is not the one writer: $(wp_reason "$1")"
  log "$3: $1 kept the role ($down of $ticks looks DOWN)"
}
# For SECONDS: neither node answers 200.
no_writer() {  # SECONDS WHAT
  local end=$(($(now_ms) + $1 * 1000))
  while (($(now_ms) < end)); do
    [[ $(wp_writer_count) == 0 ]] || fail "$2: a writer: a $(wp_health a), b $(wp_health b)"
    sleep 0.25
  done
}
ok_writes_on() {  # SERVER_ID SINCE_MS: acknowledged writes on it that started after SINCE_MS
  awk -v s="$1" -v t="$2" '$5 == "ok" && $6 == s && $2 > t' "$TMP/client-table.log" | wc -l
}
reason_has() { grep -q "$2" <<<"$(wp_reason "$1")"; }  # NODE PATTERN
# NODE's reason matches PATTERN within 5 s (one round may say something
# else: a local connect that timed out under load reads "mysqld not
# answering" for that round); prints it.
expect_reason() {  # NODE PATTERN
  local reason end=$(($(now_ms) + 5000))
  while :; do
    reason=$(wp_reason "$1")
    grep -q "$2" <<<"$reason" && { echo "$reason"; return 0; }
    (($(now_ms) < end)) || fail "$1's reason: $reason (expected: $2)"
    sleep 0.25
  done
}

wp_setup true
wp_wait_one_writer 30 a || fail "cold start: a is not the one writer"

# 0. Fence: the standby b is read_only=ON, and its reader verdict keeps its
# meaning (a reader service added by a reload answers 200 on both).
for x in a b; do
  printf '\n[service.db-reader]\nvip = "%s"\nport = 3306\nprobes = ["mysql"]\nrole = "reader"\n' \
    "$WP_VIP" >>"$TMP/agent-$x.toml"
  out=$(lab_exec "$x" "$RSAGENT" reload -c "$TMP/agent-$x.toml" 2>&1) || fail "reload $x: $out"
done
reader_up() { [[ $(http_code "${LAB_NS[dir]}" "http://${WP_IP[$1]}:9480/health/db-reader") == 200 ]]; }
wait_until 10 reader_up b || fail "fenced standby b is no reader: $(ip netns exec "${LAB_NS[dir]}" curl -s -m 2 "http://${WP_IP[b]}:9480/status")"
wait_until 10 reader_up a || fail "writer a is no reader"
[[ $(mdb_value b "SELECT @@read_only") == 1 ]] || fail "fence: the standby b is not read_only"
wp_wait_one_writer 10 a || fail "after the reload: a is not the one writer"
pass "fence: standby b read_only=ON and db-reader 200 on both; a still the one writer"

wp_client_start table
sleep 2

# 1. The standby dies (semi-sync falls back to async after its 3 s timeout).
t=$(now_ms)
mdb_kill b
stays_writer a 8 "standby b's mysqld killed"
(($(ok_writes_on 1 "$t") > 0)) || fail "no write acknowledged on a while b was down"
mdb_restart b
wait_until 20 reason_has b "peer 192.168.1.21 is the writer" || fail "b after its restart: $(wp_reason b)"
stays_writer a 2 "b back"
pass "standby dies: a kept the role ($(ok_writes_on 1 "$t") writes on a meanwhile), b returned as standby"

# 2. Partition a <-> b, both reachable by the director.
t=$(now_ms)
wp_cut a b
sleep 2
stays_writer a 6 "a<->b cut"
reason=$(expect_reason b "cannot confirm I hold the peer's commits: cannot read the GTID position of 192.168.1.21")
(($(ok_writes_on 1 "$t") > 0)) || fail "no write acknowledged on a during the partition"
wp_heal a
wait_until 20 reason_has b "peer 192.168.1.21 is the writer" || fail "b after the heal: $(wp_reason b)"
pass "partition a<->b: a kept the role, b said: $reason"

# 2b. Partition agent <-> agent only (MySQL still replicates).
wp_cut a b 9480
sleep 2
stays_writer a 4 "agents cut"
# b's proof comes first: while a takes writes, b is often a few
# transactions behind (its reason says so), else it cannot tell who writes.
reason=$(expect_reason b "cannot tell whether peer 192.168.1.21 is the writer: its agent does not answer\|192.168.1.21 has transactions not applied here")
wp_heal a
wait_until 20 reason_has b "peer 192.168.1.21 is the writer" || fail "b after the agents' heal: $(wp_reason b)"
pass "partition agent<->agent: a kept the role, b said: $reason"

# 2c. The standby's agent down (its mysqld up); a switchover is refused.
wp_agent_kill b
stays_writer a 4 "b's agent down"
out=$(lab_exec a "$RSAGENT" switchover db-writer -c "$TMP/agent-a.toml" 2>&1) &&
  fail "switchover to a peer whose agent is down succeeded: $out"
grep -q "the peer's agent does not answer" <<<"$out" || fail "switchover refusal: $out"
stays_writer a 1 "switchover refused"
wp_agent_start b
wait_until 20 reason_has b "peer 192.168.1.21 is the writer" || fail "b's agent back: $(wp_reason b)"
pass "standby's agent down: a kept the role, switchover refused ($out); back, b is standby"

# 3. a's host unreachable: cut from b and from the director (and the client).
t=$(now_ms)
ip netns exec "${LAB_NS[a]}" nft -f - <<'NFT'
table inet wp_cut {
  chain in { type filter hook input priority 0; iifname "lo" accept; drop; }
  chain out { type filter hook output priority 0; oifname "lo" accept; drop; }
}
NFT
sleep 2
no_writer 6 "a unreachable"
reason=$(expect_reason b "cannot confirm I hold the peer's commits: cannot read the GTID position of 192.168.1.21 (.*); its agent does not answer either")
(($(ok_writes_on 2 "$t") == 0)) || fail "writes acknowledged on b while a was unreachable"
wp_heal a
wp_wait_one_writer 20 a || fail "a back: a $(wp_health a) ($(wp_reason a)), b $(wp_health b) ($(wp_reason b))"
pass "writer's host unreachable: no writer (b: $reason); reachable again, a is the writer"

# 4. Both down (both hosts: mysqld and agent), b returns alone.
wp_agent_kill a
wp_agent_kill b
mdb_kill a
mdb_kill b
sleep 1
mdb_restart b
wp_agent_start b
sleep 3
no_writer 6 "b returned alone"
reason=$(expect_reason b "cannot confirm I hold the peer's commits")
mdb_restart a
wp_agent_start a
wp_wait_one_writer 30 || fail "both back: a $(wp_health a) ($(wp_reason a)), b $(wp_health b) ($(wp_reason b))"
stays_writer "$WP_WRITER" 3 "both back"
pass "both down, b back alone: no writer (b: $reason); both back: one writer ($WP_WRITER)"

sleep 2
wp_client_stop table
wp_check table 0 "decision table: " >"$TMP/check.txt" || fail "$(cat "$TMP/check.txt")"
cat "$TMP/check.txt" >&2
pass "$(cat "$TMP/check.txt")"
