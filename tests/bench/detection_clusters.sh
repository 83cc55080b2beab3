#!/usr/bin/env bash
# Detection latency of the clustered kinds (issues 17 and 19), beside run.sh's
# section 5: a 3-node MariaDB Galera cluster (galera-4) and a single-primary
# Group Replication group of three MySQL 9.7 servers (sid's mysql-server from
# the cached sid root, as tests/integration/mysql/group_replication_test.sh
# runs it), one node per namespace on one bridge. The node under test runs
# three agents at once (default and fast schedules, and the listener event:
# lib/cluster_detection.sh), so each fault is timed by all three together.
#
#   tests/bench/detection_clusters.sh [--quick] [--build DIR] [--report FILE]
#                                     [--only galera|group_replication]
#
# Galera: kill -9 of a node's mysqld (it rejoins by SST before the next
# trial), and the node cut off by nftables into a non-Primary component of
# one (healed before the next). Group Replication: kill -9 of the primary
# (the group elects another; the killed member restarts and rejoins as a
# secondary, and the next trial kills the new primary). 5 trials each
# (--quick: 1). The tables replace the block between the clusters markers
# in FILE (default docs/bench-report.md). Needs root; Group Replication is
# left out, and said so, when the sid root is neither cached nor reachable.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
SOURCE_DIR=$(cd "$BENCH_DIR/../.." && pwd)
source "$BENCH_DIR/lib/cli.sh"
bench_parse_args "$0 [--quick] [--build DIR] [--report FILE] [--only galera|group_replication]" \
  --build --report --only -- "$@"
bench_build rsagent rsagent-bench-watch

source "$SOURCE_DIR/tests/integration/lib/common.sh"
source "$SOURCE_DIR/tests/integration/lib/netns.sh"
source "$SOURCE_DIR/tests/integration/lib/mariadb.sh"
source "$SOURCE_DIR/tests/integration/lib/galera.sh"
source "$SOURCE_DIR/tests/integration/lib/rootfs.sh"
source "$SOURCE_DIR/tests/integration/lib/mysql_root.sh"
source "$SOURCE_DIR/tests/integration/lib/group_replication.sh"
source "$BENCH_DIR/lib/measure.sh"
source "$BENCH_DIR/lib/detection.sh"
source "$BENCH_DIR/lib/cluster_detection.sh"
[[ -z $ONLY || $ONLY == galera || $ONLY == group_replication ]] ||
  { echo "--only $ONLY: galera or group_replication" >&2; exit 2; }
require_root
require_cmd mariadbd mariadb mariadb-install-db rsync nft curl jq ip
((QUICK)) && TRIALS=1 || TRIALS=5

make_tmp
lab_switch
printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/probe.cnf"
chmod 600 "$TMP/probe.cnf"
DETECT_TABLE=""
NOTES=()

measure_galera() {
  [[ -e /usr/lib/galera/libgalera_smm.so ]] ||
    { NOTES+=("Galera: not measured, galera-4 is not installed."); return; }
  local i x
  for i in 1 2 3; do gal_node "g$i" "10.78.0.$i"; done
  GAL_SST_DONOR=g1
  gal_bootstrap g1
  gal_join g2
  gal_join g3
  mdb g1 "CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw'"
  # g3 is the node under test (g1 donates its SSTs).
  cluster_agents "${MDB_NS[g3]}" g3 galera "$(mdb_sock g3)" "${MDB_ADDR[g3]}"
  wait_until 30 cluster_all_up "${MDB_NS[g3]}" || fail "galera g3's agents never all UP"
  for ((i = 1; i <= TRIALS; i++)); do
    cluster_trial "${MDB_NS[g3]}" galera_kill "${MDB_PID[g3]}" || break
    wait "${MDB_PID[g3]}" 2>/dev/null || true
    _gal_launch g3
    gal_wait_synced g3 90
    wait_until 30 cluster_all_up "${MDB_NS[g3]}" || { broken "galera g3 not UP after its rejoin"; break; }
  done
  for ((i = 1; i <= TRIALS; i++)); do
    cluster_trial "${MDB_NS[g3]}" galera_partition "" gal_partition g3 || { gal_heal g3; break; }
    gal_heal g3
    gal_wait_synced g3 90
    wait_until 30 cluster_all_up "${MDB_NS[g3]}" || { broken "galera g3 not UP after the heal"; break; }
  done
  cluster_rows galera_kill "Galera node \`kill -9\` mysqld"
  # Bound: evs.inactive_timeout (3 s) before the node leaves the Primary
  # component, then the schedule's.
  cluster_rows galera_partition "Galera node cut off (non-Primary component of one)" 3000
  for x in g1 g2 g3; do gal_kill "$x"; done
}

measure_group_replication() {
  # mysql_root skips (exit 77) without the mirror: say so here instead.
  if ! (require_mirror sid) >/dev/null 2>&1; then
    NOTES+=("Group Replication: not measured, the Debian mirror cannot be reached for sid.")
    return
  fi
  mysql_root
  [[ -e $MYSQL_ROOT/usr/lib/mysql/plugin/group_replication.so ]] ||
    { NOTES+=("Group Replication: not measured, sid's mysql-server has no group_replication.so."); return; }
  local x i primary
  gr_node m1 10.79.0.1 50
  gr_node m2 10.79.0.2 70
  gr_node m3 10.79.0.3 30
  gr_bootstrap m1
  gr_join m2
  gr_join m3
  for x in m1 m2 m3; do
    cluster_agents "${MY_NS[$x]}" "$x" group_replication "$(my_sock "$x")" "${GR_ADDR[$x]}" "max_lag = 100"
  done
  for ((i = 1; i <= TRIALS; i++)); do
    primary=""
    for x in m1 m2 m3; do
      [[ $(gr_primary "$x" 2>/dev/null) == "${GR_ADDR[$x]}" ]] && primary=$x
    done
    [[ -n $primary ]] || { broken "group replication: no primary before trial $i"; break; }
    wait_until 30 cluster_all_up "${MY_NS[$primary]}" ||
      { broken "group replication: $primary's agents not all writer UP"; break; }
    cluster_trial "${MY_NS[$primary]}" gr_primary_kill "${MY_PID[$primary]}" || break
    wait "${MY_PID[$primary]}" 2>/dev/null || true
    gr_start_mysqld "$primary"
    gr_join "$primary"
  done
  cluster_rows gr_primary_kill "Group Replication primary \`kill -9\` mysqld"
  for x in m1 m2 m3; do my_kill "$x"; done
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
[[ $ONLY == group_replication ]] || measure_galera
[[ $ONLY == galera ]] || measure_group_replication
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

OUT="$TMP/clusters.md"
cat >"$OUT" <<MD
<!-- clusters:begin (tests/bench/detection_clusters.sh writes this block) -->
## Detection latency: Galera and Group Replication (issues 17, 19)

Written by \`tests/bench/detection_clusters.sh$( ((QUICK)) && echo " --quick")${ONLY:+ --only $ONLY}\` on
$(date -u +%Y-%m-%dT%H:%MZ), load average ${load_start} at the start and ${load_end} at the
end ($(nproc) cores shared with other work). Three nodes, one namespace each on
one bridge; the node under test runs three agents at once (the profiles of
section 5: *default* and *fast* schedules with \`watch_listener = false\`,
*event* at default timings with a \`tcp\` probe on mysqld's port whose listener
is watched), so each fault is timed by the three together: from the
\`kill(2)\` (sent by \`rsagent-bench-watch\`) or the return of the \`nft\`
command that cuts the node off, to \`/health/db-writer\` answering 503 (polled
every 1 ms per agent on new connections). ${TRIALS} trials per fault; each
DOWN's reason in \`/status\` is checked as in section 5. A cut-off Galera
node leaves the Primary component only when its own group communication
gives up on the others (\`evs.suspect_timeout\` 2 s, \`evs.inactive_timeout\`
3 s in tests/integration/lib/galera.sh): most of that row is Galera's, and
the listener event cannot see it (mysqld keeps listening); its bound adds
those 3 s to the schedule's. A killed process's listener is destroyed only
after the kernel has freed its address space (exit_mm comes before
exit_files), so the event rows grow with the RSS of the mysqld killed (in the
fault's name): a 10 MB Python listener's is gone 1–19 ms after \`kill -9\`,
a 400 MB one's after 53–230 ms, 1 GB after 180–406 ms (two runs by hand on
this host at load 8 and 13, polling /proc/net/tcp). A pidfd on the process
turned readable at the same moment or later in the same runs, so watching
the process's exit instead would not be earlier: no event reaches 50 ms for
a server that large.

${DETECT_TABLE_HEAD}
${DETECT_TABLE}
$(printf '%s\n' "${NOTES[@]}")
<!-- clusters:end -->
MD
mkdir -p "$(dirname "$REPORT")"
python3 "$BENCH_DIR/lib/replace_block.py" "$REPORT" "$OUT" clusters
cat "$OUT"
log "tables written to $REPORT"
((BROKEN == 0)) || fail "$BROKEN broken behaviour(s), see above"
