#!/usr/bin/env bash
# The pair's safety under randomized faults, a short fixed set for CI
# (tests/integration/mysql/writer_soak.sh runs many more): a real MariaDB
# pair with [pair] agents behind a director that follows them, a client
# writing through the VIP, seeded fault schedules (lib/writer_faults.sh).
# After each: no acknowledged write lost, none made on a server that missed
# an earlier acknowledged one, no two servers taking writes at once, and
# exactly one writer within WF_HEAL_BOUND (60 s) of the heal.
# Replay: SEEDS="17" bash tests/integration/mysql/writer_faults_test.sh
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_pair.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_faults.sh"
wp_require

SEEDS=${SEEDS:-"101 202 303"}
FAULTS=${FAULTS:-3}
wp_setup true
wp_wait_one_writer 30 || fail "no writer after start"
failed=0
for seed in $SEEDS; do
  log "schedule $seed ($FAULTS faults), replay with SEEDS=$seed"
  if ! wf_schedule "$seed" "$FAULTS" >"$TMP/schedule.txt" 2>"$TMP/schedule.err"; then
    failed=$((failed + 1))
    cat "$TMP/schedule.txt" >&2
    tail -5 "$TMP/schedule.err" >&2
    log "FAIL: schedule $seed"
  else
    cat "$TMP/schedule.txt" >&2
  fi
done
((failed == 0)) || fail "$failed of $(wc -w <<<"$SEEDS") schedules violated an invariant"
pass "$(wc -w <<<"$SEEDS") schedules: every invariant held"
