# Detection latency of the clustered kinds (issues 17, 19) for
# tests/bench/detection_clusters.sh (source after detection.sh, measure.sh
# and the cluster libraries): the node under test runs three agents at once,
# one per profile of lib/detection.sh (ports 9480 default, 9481 fast, 9482
# event), so every fault is seen by the three in the same instant and the
# rows compare paired samples. The event agent also has a tcp probe on the
# server's port (the galera and group_replication probes reach mysqld by its
# socket file), whose listener it watches.

CLUSTER_PROFILES=(default fast event)
declare -A CLUSTER_PORT=([default]=9480 [fast]=9481 [event]=9482)
declare -gA CLUSTER_NS=()  # node name -> namespace of its agents

# cluster_agents NS NAME KIND SOCKET ADDR [EXTRA_PROBE_LINE]: writes and starts
# the three agents of node NAME (in namespace NS) for a probe of KIND on
# SOCKET, mysqld listening on ADDR:3306. Service db-writer (role writer).
cluster_agents() {
  local ns=$1 name=$2 kind=$3 socket=$4 addr=$5 extra=${6:-} profile interval timeout fall watch
  CLUSTER_NS[$name]=$ns
  for profile in "${CLUSTER_PROFILES[@]}"; do
    read -r interval timeout fall watch <<<"${DETECT_TIMING[$profile]}"
    local file="$TMP/agent-$name-$profile.toml" probes='["db"]'
    [[ $watch == true ]] && probes='["db", "db_listener"]'
    mkdir -p "$TMP/state-$name-$profile"
    cat >"$file" <<CONF
[agent]
listen = "127.0.0.1:${CLUSTER_PORT[$profile]}"
state_dir = "$TMP/state-$name-$profile"
control_socket = "$TMP/run-$name-$profile/control.sock"
shutdown_grace = "0s"
log_level = "info"

[probe.db]
type = "$kind"
socket = "$socket"
credentials = "$TMP/probe.cnf"
$extra
interval = "${interval}ms"
timeout = "${timeout}ms"
rise = 2
fall = $fall

[probe.db_listener]
type = "tcp"
targets = ["$addr:3306"]
interval = "${interval}ms"
timeout = "${timeout}ms"
rise = 2
fall = $fall
watch_listener = $watch

[service.db-writer]
port = 3306
probes = $probes
role = "writer"
CONF
    start_bg "$ns" "$TMP/agent-$name-$profile.log" "$RSAGENT" run -c "$file"
  done
}

# The log of the event agent in namespace NS.
cluster_event_log() {
  local name
  for name in "${!CLUSTER_NS[@]}"; do
    [[ ${CLUSTER_NS[$name]} == "$1" ]] && echo "$TMP/agent-$name-event.log"
  done
}

cluster_writer_code() {  # NS PROFILE
  http_code "$1" "http://127.0.0.1:${CLUSTER_PORT[$2]}/health/db-writer"
}
# Every agent of the node says writer 200.
cluster_all_up() {  # NS
  local profile
  for profile in "${CLUSTER_PROFILES[@]}"; do
    [[ $(cluster_writer_code "$1" "$profile") == 200 ]] || return 1
  done
}

# cluster_trial NS FAULT PIDS INJECT...: one fault seen by the node's three
# agents. A signal fault (FAULT *_kill: PIDS given) is sent by the watcher
# and timed from kill(2); any other runs INJECT... here, timed from its
# return. Adds each agent's ms to CLUSTER_SAMPLES[PROFILE_FAULT] after
# checking its DOWN's reason (the listener event for the event agent of a
# kill: a new "no listener" line in its log, read after the slowest agent,
# when a scheduled attempt may already have replaced the reason in /status;
# a failed attempt otherwise). Returns 1 (counted broken) on no 503.
declare -gA CLUSTER_SAMPLES=() CLUSTER_RSS=()  # RSS (kB) of each killed mysqld
cluster_trial() {
  local ns=$1 fault=$2 pids=$3
  shift 3
  local targets=() profile out t0="" i=0 line ms reason events_before event_log
  event_log=$(cluster_event_log "$ns")
  events_before=$(grep -c "no listener" "$event_log" || true)
  for profile in "${CLUSTER_PROFILES[@]}"; do targets+=(--target "127.0.0.1:${CLUSTER_PORT[$profile]}"); done
  local watch=(ip netns exec "$ns" "$BENCH_BIN/rsagent-bench-watch" "${targets[@]}"
    --path /health/db-writer --until 503 --interval-ms 1 --timeout-s 60)
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", r / 32768 }')"  # phase vs a 1 s schedule
  if [[ -n $pids ]]; then
    CLUSTER_RSS[$fault]+=" $(rss_kb "$pids")"
    out=$("${watch[@]}" --signal KILL --pids "$pids") || { broken "$fault: no 503 from every agent: $out"; return 1; }
  else
    "${watch[@]}" >"$TMP/seen" &
    local watch_pid=$!
    sleep 0.3
    "$@"
    t0=$(now_ns)
    wait "$watch_pid" || { broken "$fault: no 503 from every agent: $(cat "$TMP/seen")"; return 1; }
    out=$(cat "$TMP/seen")
  fi
  for profile in "${CLUSTER_PROFILES[@]}"; do
    i=$((i + 1))
    line=$(sed -n "${i}p" <<<"$out")
    if [[ -n $t0 ]]; then
      ms=$(awk -v a="$(kv "$line" seen_ns)" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
    else
      ms=$(awk -v u="$(kv "$line" elapsed_us)" 'BEGIN { printf "%.1f", u / 1000 }')
    fi
    reason=$(BENCH_NS=$ns BENCH_AGENT_PORT=${CLUSTER_PORT[$profile]} probe_reason db-writer)
    if [[ $profile == event && $fault == *_kill ]]; then
      (($(grep -c "no listener" "$event_log" || true) > events_before)) ||
        { broken "$profile/$fault: DOWN not from the listener event: $reason"; continue; }
    elif [[ $reason == *"no listener"* ]]; then
      broken "$profile/$fault: a scheduled agent's DOWN came from the listener event: $reason"
      continue
    fi
    CLUSTER_SAMPLES[${profile}_$fault]+=" $ms"
  done
  log "$fault: $(for profile in "${CLUSTER_PROFILES[@]}"; do printf '%s %s ms  ' "$profile" "${CLUSTER_SAMPLES[${profile}_$fault]##* }"; done)"
}

# cluster_rows FAULT LABEL [EXTRA_MS]: the rows of FAULT, one per profile,
# appended to DETECT_TABLE (lib/detection.sh: call it in this shell); a kill's
# label gets the median RSS of the killed mysqld (its exit frees that memory
# before the kernel closes its listener: the event row waits for it).
cluster_rows() {
  local fault=$1 label=$2 profile
  # shellcheck disable=SC2086  # kB values
  [[ -n ${CLUSTER_RSS[$fault]:-} ]] && label+=" (RSS $(mb "$(median ${CLUSTER_RSS[$fault]})") MB)"
  for profile in "${CLUSTER_PROFILES[@]}"; do
    detection_row "$profile" "$fault" "$label" db-writer \
      "${CLUSTER_SAMPLES[${profile}_$fault]:-}" "${CLUSTER_SAMPLES[default_$fault]:-}" \
      "$([[ $fault == *_kill ]] && echo 1)" "${3:-0}"
  done
}
