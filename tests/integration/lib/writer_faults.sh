# Seeded random fault schedules against the pair of lib/writer_pair.sh
# (source after it). One schedule: a client writes through the director
# while FAULTS faults hit the pair in random order and timing; then every
# fault heals, the time to exactly one writer is measured, and the
# invariants are checked over the client's log (writer_check.py).
#
#   wf_schedule SEED FAULTS   prints "schedule SEED: ..." lines; 0 when every
#                             invariant held and one writer came back in time
#
# Faults: kill9 X (mysqld SIGKILL, restarted after a while), stop X
# (SIGSTOP/SIGCONT), restart X (graceful), partdb (a<->b cut), partagent
# (a<->b port 9480 cut), bothdown (both SIGKILL, one back, then the other),
# agent X (SIGKILL the agent, start it again). A partition may stay active
# across the next fault. Replay one with SEED=... (bash's RANDOM is seeded).

WF_HEAL_BOUND=${WF_HEAL_BOUND:-60}  # seconds from the last heal to exactly one writer
declare -gA WF_DOWN=()              # mysqld of X killed, not restarted yet

# No $(...) around RANDOM: a subshell draws from a reseeded generator, and
# the schedule would no longer replay.
_wf_rand() { WF_R=$((RANDOM % ($2 - $1 + 1) + $1)); }    # LO HI (inclusive) -> WF_R
_wf_sleep_ms() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }
WF_KINDS=(kill9 stop restart partdb partagent bothdown agent)

_wf_up() {  # X: restart its mysqld if it is down
  if [[ -n ${WF_DOWN[$1]:-} ]]; then
    mdb_restart "$1" >/dev/null 2>&1 || true
    unset "WF_DOWN[$1]"
  fi
}

_wf_partition() {  # [PORT]
  wp_cut a b "${1:-}"
  wp_cut b a "${1:-}"
}

_wf_heal_net() { wp_heal a; wp_heal b; }

wf_schedule() {  # SEED FAULTS
  local seed="$1" faults="$2" i kind x d pending="" desc="" t_heal rc=0 index
  RANDOM=$seed
  index=$((WF_SCHEDULES = ${WF_SCHEDULES:-0} + 1))
  WP_K_BASE=$((index * 1000000)) wp_client_start "s$seed"
  _wf_sleep_ms 1500
  for ((i = 0; i < faults; i++)); do
    _wf_rand 0 6; kind=${WF_KINDS[$WF_R]}
    _wf_rand 0 1; x=$( ((WF_R)) && echo a || echo b)
    _wf_rand 1000 6000; d=$WF_R
    case "$kind" in
      kill9)
        mdb_kill "$x"; WF_DOWN[$x]=1; desc+=" kill9:$x:${d}ms"
        _wf_sleep_ms "$d"; _wf_up "$x" ;;
      stop)
        [[ -n ${WF_DOWN[$x]:-} ]] && _wf_up "$x"
        kill -STOP "${MDB_PID[$x]}"; desc+=" stop:$x:${d}ms"
        _wf_sleep_ms "$d"; kill -CONT "${MDB_PID[$x]}" ;;
      restart)
        _wf_up "$x"; desc+=" restart:$x"
        mdb_stop "$x"; mdb_restart "$x" >/dev/null 2>&1 || true ;;
      partdb | partagent)
        [[ -n $pending ]] && _wf_heal_net
        if [[ $kind == partdb ]]; then _wf_partition; else _wf_partition 9480; fi
        if (( RANDOM % 2 )); then
          desc+=" $kind:${d}ms"; _wf_sleep_ms "$d"; _wf_heal_net; pending=""
        else
          desc+=" $kind:(across the next fault)"; pending=1
        fi ;;
      bothdown)
        mdb_kill a; mdb_kill b; WF_DOWN[a]=1; WF_DOWN[b]=1
        desc+=" bothdown:$x-first:${d}ms"
        _wf_sleep_ms "$d"; _wf_up "$x"
        _wf_rand 1000 5000; _wf_sleep_ms "$WF_R"; _wf_up "$(wp_peer "$x")" ;;
      agent)
        wp_agent_kill "$x"; desc+=" agent:$x:${d}ms"
        _wf_sleep_ms "$d"; wp_agent_start "$x" ;;
    esac
    _wf_rand 300 3000; _wf_sleep_ms "$WF_R"
  done
  # Heal everything: networks, frozen and dead servers; agents all run.
  _wf_heal_net
  for x in a b; do kill -CONT "${MDB_PID[$x]}" 2>/dev/null || true; _wf_up "$x"; done
  t_heal=$(now_ms)
  if wp_wait_one_writer "$WF_HEAL_BOUND"; then
    WF_HEAL_MS=$(($(now_ms) - t_heal))
  else
    WF_HEAL_MS=-1
    rc=1
  fi
  sleep 1
  wp_client_stop "s$seed"
  local check
  check=$(wp_check "s$seed" "$((index * 1000000))" "" 2>"$TMP/check.err") || rc=1
  [[ -n $check ]] || check="the check printed nothing: $(tail -n 5 "$TMP/check.err" | tr '\n' ' ')"
  echo "schedule $seed:$desc"
  if ((WF_HEAL_MS < 0)); then
    echo "  NO SINGLE WRITER within ${WF_HEAL_BOUND}s of the heal: a $(wp_health a) ($(wp_reason a)); b $(wp_health b) ($(wp_reason b))"
  else
    echo "  one writer ($WP_WRITER) ${WF_HEAL_MS} ms after the heal; $check"
  fi
  [[ $check == *"violations 0"* ]] || { echo "$check" | sed 's/^/  /'; rc=1; }
  if ((rc != 0)) && [[ -n ${WF_KEEP:-} ]]; then  # WF_KEEP=DIR: keep the evidence
    mkdir -p "$WF_KEEP/$seed"
    cp "$TMP"/agent-*.log.* "$TMP/director.log" "$TMP/client-s$seed.log" "$TMP/check.err" \
      "$WF_KEEP/$seed/" 2>/dev/null
    for x in a b; do  # what replication looked like
      cp "$(mdb_dir "$x")/error.log" "$WF_KEEP/$seed/mysql-$x-error.log" 2>/dev/null
      { mdb "$x" "SELECT @@gtid_binlog_pos, @@gtid_current_pos, @@gtid_slave_pos, @@read_only;
          SHOW ALL SLAVES STATUS\G SHOW BINARY LOGS;" || echo "(mysqld $x does not answer)"; } \
        >"$WF_KEEP/$seed/mysql-$x.txt" 2>&1
    done
    echo "  logs kept in $WF_KEEP/$seed"
  fi
  return "$rc"
}
