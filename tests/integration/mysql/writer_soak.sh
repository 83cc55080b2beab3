#!/usr/bin/env bash
# Many seeded fault schedules against the pair (not a ctest test: minutes).
# Prints each schedule, then the counts: schedules, invariant violations,
# heals without a single writer in time, and the time from heal to one
# writer (min/median/max). The numbers in docs/mysql.md come from here.
#   sudo RSAGENT=build/agent/rsagent RSAGENT_SOURCE_DIR=$PWD \
#     bash tests/integration/mysql/writer_soak.sh [COUNT] [FAULTS]   # SEED=base
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_pair.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/writer_faults.sh"
require_root
require_cmd mariadbd mariadb mariadb-install-db curl ip nft
make_tmp

count=${1:-50}
faults=${2:-4}
base=${SEED:-$(date +%s)}
log "soak: $count schedules of $faults faults, seeds $base..$((base + count - 1))"
wp_setup true
wp_wait_one_writer 30 || fail "no writer after start"
bad=0 no_writer=0 heals=()
for ((n = 0; n < count; n++)); do
  seed=$((base + n))
  if ! wf_schedule "$seed" "$faults" >"$TMP/s.txt" 2>>"$TMP/soak.err"; then
    bad=$((bad + 1))
    ((WF_HEAL_MS < 0)) && no_writer=$((no_writer + 1))
  fi
  cat "$TMP/s.txt"
  ((WF_HEAL_MS >= 0)) && heals+=("$WF_HEAL_MS")
done
sorted=$(printf '%s\n' "${heals[@]}" | sort -n)
echo "soak: $count schedules x $faults faults: $bad failed ($no_writer without one writer within ${WF_HEAL_BOUND}s);" \
  "heal -> one writer ms: min $(head -1 <<<"$sorted") median $(sed -n "$(((${#heals[@]} + 1) / 2))p" <<<"$sorted") max $(tail -1 <<<"$sorted")"
((bad == 0))
