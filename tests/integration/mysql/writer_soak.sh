#!/usr/bin/env bash
# Many seeded fault schedules against the pair (not a ctest test: minutes).
# Prints each schedule, then the counts: schedules, invariant violations,
# heals without a single writer in time, the time from heal to one writer
# (min/median/max), and the writes summed over every schedule (acknowledged,
# refused, ambiguous; lost, stale, overlapping). The numbers in docs/mysql.md come from here.
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
bad=0 no_writer=0 heals=() writes=0 ok=0 refused=0 ambiguous=0 unchecked=0
declare -A broken=([lost]=0 [stale]=0 [overlap]=0)
check_re='writes ([0-9]+): ok ([0-9]+) refused ([0-9]+) ambiguous ([0-9]+);'
for ((n = 0; n < count; n++)); do
  seed=$((base + n))
  if ! wf_schedule "$seed" "$faults" >"$TMP/s.txt" 2>>"$TMP/soak.err"; then
    bad=$((bad + 1))
    ((WF_HEAL_MS < 0)) && no_writer=$((no_writer + 1))
  fi
  cat "$TMP/s.txt"
  ((WF_HEAL_MS >= 0)) && heals+=("$WF_HEAL_MS")
  if [[ $(cat "$TMP/s.txt") =~ $check_re ]]; then
    writes=$((writes + BASH_REMATCH[1])) ok=$((ok + BASH_REMATCH[2]))
    refused=$((refused + BASH_REMATCH[3])) ambiguous=$((ambiguous + BASH_REMATCH[4]))
  else
    unchecked=$((unchecked + 1))
  fi
  for kind in lost stale overlap; do  # the check lists up to 10 of each schedule's
    broken[$kind]=$((broken[$kind] + $(grep -c "^ *$kind: " "$TMP/s.txt" || true)))
  done
done
sorted=$(printf '%s\n' "${heals[@]}" | sort -n)
echo "soak: $count schedules x $faults faults: $bad failed ($no_writer without one writer within ${WF_HEAL_BOUND}s);" \
  "heal -> one writer ms: min $(head -1 <<<"$sorted") median $(sed -n "$(((${#heals[@]} + 1) / 2))p" <<<"$sorted") max $(tail -1 <<<"$sorted")"
echo "soak: writes $writes: acknowledged $ok, refused $refused, ambiguous $ambiguous;" \
  "lost ${broken[lost]}, stale ${broken[stale]}, overlapping ${broken[overlap]} (at most 10 listed per schedule);" \
  "$unchecked schedules without a check"
((bad == 0))
