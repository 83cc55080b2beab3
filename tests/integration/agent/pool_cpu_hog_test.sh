#!/usr/bin/env bash
# The pool's panic threshold (issue 19, max_down) under a CPU hog on every
# node: three real servers, each a network namespace on a bridge with nginx,
# a stress-ng hog and rsagent (the agents read each other over the bridge as
# [peer.NAME]s). The hog starves nginx, its http probe times out on every
# node at once: without max_down the three agents answer DOWN and the pool
# is empty; with max_down = 1 at most one goes DOWN, the others are held UP.
# A director's view of the pool: pool_watch (lib/agent.sh) from a fourth
# namespace, every 20 ms.
#
# How the hog starves a node on this shared host: each node's nginx and its
# hog share a cgroup capped, while the hog runs, at 1 % of a CPU (10 ms per
# 1 s period): the hog eats the cap, and a request to nginx waits for the
# next period (up to 990 ms, past the probe's 200 ms timeout) — a saturated
# node, at a cost of 3 % of one core instead of a hog per core. Nginx and the
# hog share one CPU (below). The agent runs outside the cap, as the unit
# (Nice=-5, CPUWeight=1000) puts it ahead of the services it watches on a
# real node.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd nginx curl python3 stress-ng taskset
make_tmp

# A cgroup for a node's processes (v2, or v1's cpu controller) -> CGROUP;
# cgroup_cap CGROUP QUOTA_US PERIOD_US caps its CPU, cgroup_cap CGROUP lifts it.
cpu_cgroup() {  # NAME
  local cg
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control ||
      { log "SKIP: cgroup v2 without the cpu controller enabled at the root"; exit 77; }
    cg="/sys/fs/cgroup/$TEST_ID-$1"
  elif [[ -d /sys/fs/cgroup/cpu ]]; then
    cg="/sys/fs/cgroup/cpu/$TEST_ID-$1"
  else
    log "SKIP: no cgroup cpu controller (needed to starve the nodes, not the host)"
    exit 77
  fi
  mkdir "$cg" || fail "mkdir $cg"
  # Registered before anything joins it, so it runs after their own cleanup;
  # it kills what is left (nginx daemonizes away from the pid started).
  on_exit "for p in \$(cat '$cg/cgroup.procs'); do kill -9 \$p; done; for t in 1 2 3 4 5; do rmdir '$cg' && break; sleep 0.2; done"
  CGROUP=$cg
}

cgroup_cap() {  # CGROUP [QUOTA_US PERIOD_US]
  if [[ -f $1/cpu.max ]]; then
    echo "${2:-max} ${3:-100000}" >"$1/cpu.max"
  else
    echo "${3:-100000}" >"$1/cpu.cfs_period_us"
    echo "${2:--1}" >"$1/cpu.cfs_quota_us"
  fi
}

# CMD... run in NODE's namespace, inside its cgroup from its first instruction
# (children, nginx's workers and stress-ng's, inherit it), on one CPU: the
# kernel hands a cgroup's cap out to each CPU in slices, and a slice left
# unused on a CPU the hog is not on would serve nginx all period. The cgroup
# is joined before `ip netns exec`, whose fresh /sys has no cgroup file system.
HOG_CPU=$(($(nproc) - 1))
start_in_cgroup() {  # NODE LOG CMD...
  local n="$1" logf="$2"
  shift 2
  sh -c 'echo $$ >"$0/cgroup.procs" && exec ip netns exec "$@"' "${CG[$n]}" "${LAB_NS[$n]}" \
    taskset -c "$HOG_CPU" "$@" >"$logf" 2>&1 &
  BG_PID=$!
  on_exit "kill -9 $BG_PID; wait $BG_PID"
}

POOL_NODES=(a b c)
declare -A IP=([a]=192.168.1.11 [b]=192.168.1.12 [c]=192.168.1.13) CG HOG_PID
lab_switch
lab_host dir 192.168.1.2
POOL_READ_NS=${LAB_NS[dir]}
for n in "${POOL_NODES[@]}"; do
  lab_host "$n" "${IP[$n]}"
  cpu_cgroup "$n"
  CG[$n]=$CGROUP
  write_nginx_conf "$TMP/nginx-$n" 'listen 80; location / { return 200 "ok\n"; }'
  start_in_cgroup "$n" "$TMP/nginx-$n/stdout" nginx -p "$TMP/nginx-$n" \
    -c "$TMP/nginx-$n/nginx.conf" -e "$TMP/nginx-$n/error.log"
  wait_until 10 http_is "${LAB_NS[$n]}" http://127.0.0.1/ 200 || fail "nginx on $n did not start"
  POOL_NS[$n]=${LAB_NS[$n]}
  POOL_AGENT[$n]=${IP[$n]}:9480
  POOL_URL[$n]=http://127.0.0.1/
done

# stress-ng (the hog's pid: sh and ip netns exec exec'd into it) has forked its worker.
hog_running() { pgrep -P "${HOG_PID[$1]}" >/dev/null; }  # NODE

# A hog on every node for SECONDS under the watcher -> ROUNDS, EMPTY, MOST_DOWN.
hog_every_node() {  # NAME SECONDS LABEL
  local n
  pool_watch_start "$TMP/watch-$1.txt"
  sleep 0.5
  for n in "${POOL_NODES[@]}"; do
    start_in_cgroup "$n" "$TMP/hog-$n-$1.log" stress-ng --cpu 1 --timeout "$(($2 + 5))"
    HOG_PID[$n]=$BG_PID
  done
  # Capped once the hogs run (under the cap stress-ng would take seconds to start).
  for n in "${POOL_NODES[@]}"; do
    wait_until 5 hog_running "$n" || fail "stress-ng on $n did not start: $(cat "$TMP/hog-$n-$1.log")"
  done
  for n in "${POOL_NODES[@]}"; do cgroup_cap "${CG[$n]}" 10000 1000000; done
  sleep "$2"
  # Uncapped first: stress-ng's exit needs CPU too.
  for n in "${POOL_NODES[@]}"; do cgroup_cap "${CG[$n]}"; done
  for n in "${POOL_NODES[@]}"; do kill -TERM "${HOG_PID[$n]}" 2>/dev/null || true; done
  for n in "${POOL_NODES[@]}"; do wait "${HOG_PID[$n]}" 2>/dev/null || true; done
  sleep 0.5
  pool_watch_stop "$3"
  for n in "${POOL_NODES[@]}"; do
    wait_until 10 http_is "$POOL_READ_NS" "http://${POOL_AGENT[$n]}/health/web" 200 ||
      fail "agent $n did not come back UP after the hog: $(tail -3 "$TMP/agent-$n.log")"
  done
}

# 1. Without max_down: the hog on every node empties the pool.
pool_start_agents ""
hog_every_node plain 6 "CPU hog on every node, without max_down"
((EMPTY > 0)) || fail "without max_down the pool was never empty: the hog did not starve the probes"
grep -qh 'timed out' "$TMP"/agent-*.log ||
  fail "no probe timed out under the hog: $(tail -3 "$TMP"/agent-*.log)"
pass "without max_down a CPU hog on every node emptied the pool ($EMPTY of $ROUNDS rounds)"
pool_stop_agents
plain_empty=$EMPTY plain_rounds=$ROUNDS

# 2. max_down = 1: never empty, the others held UP and saying so.
pool_start_agents "max_down = 1"
hog_every_node max_down 6 "CPU hog on every node, max_down = 1"
((EMPTY == 0)) || fail "with max_down = 1 the pool was empty in $EMPTY of $ROUNDS rounds"
((MOST_DOWN <= 1)) || fail "with max_down = 1, $MOST_DOWN of 3 were DOWN at once"
held_line=$(grep -h 'held UP by max_down 1 of 3' "$TMP"/agent-*.log | head -1)
[[ -n $held_line ]] || fail "no agent logged that it was held UP: $(tail -3 "$TMP"/agent-*.log)"
log "e.g.: $held_line"
pass "with max_down = 1 the pool was never empty ($ROUNDS rounds, at most $MOST_DOWN of 3 DOWN)"
pool_stop_agents
log "pool empty: $plain_empty of $plain_rounds rounds without max_down, $EMPTY of $ROUNDS with max_down = 1"
