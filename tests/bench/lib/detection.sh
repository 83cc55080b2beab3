# Detection latency (run.sh's section 5; source after setup.sh and
# sections.sh): the time from a fault to the agent's DOWN verdict for the
# service the fault hits, with scheduled probes at two timings and with the
# event-driven path (issue 19), each row in the same run as the others.
#
# Each trial: the agent of the row's profile is UP; a random phase against
# the probe schedule; the fault; then /health/<service> is polled every 1 ms
# on a new connection until it answers 503 (rsagent-bench-watch). A signal
# fault (kill -9, SIGSTOP) is sent by the watcher itself, after a last 200,
# and timed from the kill(2) on the steady clock; a SQL fault is timed from
# the return of its statement. The DOWN's reason in /status must be the one
# the row claims (the listener event for event rows, a failed attempt for
# scheduled ones): a row cannot silently measure another path.

# Probe timings of each profile: interval_ms timeout_ms fall watch_listener.
declare -A DETECT_TIMING=([default]="1000 500 2 false" [fast]="200 150 2 false"
  [event]="1000 500 2 true")
# Which service each fault takes DOWN.
declare -A DETECT_SERVICE=([nginx_kill]=web [nginx_stop]=web [mysqld_kill]=db-writer
  [mysqld_stop]=db-writer [sql_thread]=db-reader)
declare -A DETECT_LABEL=([nginx_kill]="nginx \`kill -9\` (master + workers)"
  [nginx_stop]="nginx SIGSTOP (frozen, listener kept)"
  [mysqld_kill]="MariaDB (master-master pair) \`kill -9\` mysqld"
  [mysqld_stop]="MariaDB (master-master pair) SIGSTOP mysqld"
  [sql_thread]="MariaDB (master-master pair) \`STOP SLAVE SQL_THREAD\`")
# The faults the event path can see (a destroyed listener); the others fall
# back to the schedule, whatever the profile.
declare -A DETECT_BY_EVENT=([nginx_kill]=1 [mysqld_kill]=1)

# The rows, "profile_fault" one a line, in the order measured. --quick: the CI slice,
# nginx kill -9 at the default schedule and by the event.
detection_rows() {
  if ((QUICK)); then
    printf '%s\n' default_nginx_kill event_nginx_kill
    return
  fi
  local fault
  for fault in nginx_kill nginx_stop mysqld_kill mysqld_stop sql_thread; do
    printf '%s\n' "default_$fault" "fast_$fault"
    [[ $fault == nginx_kill || $fault == nginx_stop || $fault == mysqld_kill ]] &&
      echo "event_$fault"
  done
}

# fault_pids FAULT -> the pids a signal fault goes to (comma-separated).
fault_pids() {
  case $1 in
    nginx_*) echo "$NGINX_PID $(pgrep -P "$NGINX_PID")" | xargs | tr ' ' , ;;
    mysqld_*) echo "${MDB_PID[db1]}" ;;
  esac
}

fault_recover() {
  local pids
  case $1 in
    nginx_kill) wait "$NGINX_PID" 2>/dev/null || true; bench_restart_nginx ;;
    nginx_stop) pids=$(fault_pids nginx_stop); kill -CONT ${pids//,/ } ;;
    mysqld_kill) wait "${MDB_PID[db1]}" 2>/dev/null || true; mdb_restart db1 >/dev/null 2>&1 ;;
    mysqld_stop) kill -CONT "${MDB_PID[db1]}" ;;
    sql_thread) mdb db1 "START SLAVE SQL_THREAD" ;;
  esac
}

# probe_reason SERVICE -> the reasons of the service's DOWN probes in /status.
probe_reason() {
  ip netns exec "$BENCH_NS" curl -s -m 2 "http://127.0.0.1:$BENCH_AGENT_PORT/status" |
    jq -r --arg s "$1" '(.services[] | select(.name == $s) | .probes) as $p
      | [.probes[] | select((.name as $n | $p | index($n)) and (.up | not)) | .reason] | join("; ")'
}

# detection_trial PROFILE FAULT: sets DETECT_MS to the ms from the fault to
# the 503 of the fault's service, or to "" (counted broken) when that answer
# never came or the DOWN came from another path than the row's. Runs in this
# shell (no $(...)): recovering sets NGINX_PID / MDB_PID.
detection_trial() {
  local profile=$1 fault=$2 service=${DETECT_SERVICE[$2]} interval_ms seen reason
  DETECT_MS=""
  interval_ms=${DETECT_TIMING[$profile]%% *}
  local watch=(ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-watch"
    --target "127.0.0.1:$BENCH_AGENT_PORT" --path "/health/$service" --until 503
    --interval-ms 1 --timeout-s 30)
  bench_wait_healthy 60 || { broken "$profile/$fault: /health not 200 before the trial"; return; }
  sleep "$(awk -v r="$RANDOM" -v i="$interval_ms" 'BEGIN { printf "%.3f", r / 32768 * i / 1000 }')"
  local ms
  if [[ $fault == sql_thread ]]; then
    # The watcher polls before the fault: its start-up must not count.
    "${watch[@]}" >"$TMP/seen" &
    local watch_pid=$! t0
    sleep 0.3
    mdb db1 "STOP SLAVE SQL_THREAD"
    t0=$(now_ns)
    if ! wait "$watch_pid"; then
      broken "$profile/$fault: /health/$service never answered 503"
      fault_recover "$fault"
      return
    fi
    seen=$(cat "$TMP/seen")
    ms=$(awk -v a="$(kv "$seen" seen_ns)" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
  else
    local signal=KILL
    [[ $fault == *_stop ]] && signal=STOP
    if ! seen=$("${watch[@]}" --signal "$signal" --pids "$(fault_pids "$fault")"); then
      broken "$profile/$fault: no 503 after the fault ($seen)"
      fault_recover "$fault"
      return
    fi
    ms=$(awk -v u="$(kv "$seen" elapsed_us)" 'BEGIN { printf "%.1f", u / 1000 }')
  fi
  reason=$(probe_reason "$service")
  if [[ $fault == mysqld_stop && -z ${TCP_SEES_STOP:-} ]]; then
    # What TCP_CHECK would see: does the kernel still complete handshakes?
    ip netns exec "$BENCH_NS" timeout 3 bash -c "</dev/tcp/$BENCH_DB1/3306" 2>/dev/null &&
      TCP_SEES_STOP="connects: TCP_CHECK and check_multi_port.sh see it UP" ||
      TCP_SEES_STOP="refused or timed out"
  fi
  fault_recover "$fault"
  if [[ $profile == event && -n ${DETECT_BY_EVENT[$fault]:-} ]]; then
    [[ $reason == *"no listener"* ]] ||
      { broken "$profile/$fault: DOWN not from the listener event: $reason"; return; }
  elif [[ $reason == *"no listener"* ]]; then
    broken "$profile/$fault: a scheduled row's DOWN came from the listener event: $reason"
    return
  fi
  DETECT_MS=$ms
}

# The agent of one profile: bench_agent_config's world with the profile's
# timings; for event, the db services also get a tcp probe on mysqld's port,
# whose listener is watched (the mysql probe's own target is a socket path).
detection_config() {  # FILE PROFILE
  local interval timeout fall watch
  read -r interval timeout fall watch <<<"${DETECT_TIMING[$2]}"
  cat >"$1" <<CONF
$(bench_agent_table)

[probe.nginx]
type = "http"
url = "http://127.0.0.1:$BENCH_NGINX_PORT/"
interval = "${interval}ms"
timeout = "${timeout}ms"
rise = 2
fall = $fall
watch_listener = $watch

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db1)"
replication_required = true
interval = "${interval}ms"
timeout = "${timeout}ms"
rise = 2
fall = $fall
CONF
  local db_probes='["mysql"]'
  if [[ $watch == true ]]; then
    db_probes='["mysql", "mysql_listener"]'
    cat >>"$1" <<CONF

[probe.mysql_listener]
type = "tcp"
targets = ["$BENCH_DB1:3306"]
interval = "${interval}ms"
timeout = "${timeout}ms"
rise = 2
fall = $fall
CONF
  fi
  cat >>"$1" <<CONF

[service.web]
port = 80
probes = ["nginx"]

[service.db-writer]
port = 3306
probes = $db_probes
role = "writer"

[service.db-reader]
port = 3306
probes = $db_probes
role = "reader"
CONF
}

section_detection() {
  local row profile fault i current="" load_start load_end
  local -A samples=()
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  bench_stop_agent  # run.sh's agent (--only): this section starts its own
  for row in $(detection_rows); do
    profile=${row%%_*} fault=${row#*_}
    if [[ $profile != "$current" ]]; then
      [[ -n $current ]] && bench_stop_agent
      detection_config "$TMP/agent-$profile.toml" "$profile"
      bench_start_agent "$TMP/agent-$profile.toml"
      current=$profile
    fi
    for ((i = 1; i <= TRIALS; i++)); do
      detection_trial "$profile" "$fault"
      [[ -n $DETECT_MS ]] || break
      samples[$row]+=" $DETECT_MS"
      log "detection $profile/$fault trial $i: $DETECT_MS ms"
    done
  done
  bench_stop_agent
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)
  DETECT_TABLE=""
  for row in $(detection_rows); do
    profile=${row%%_*} fault=${row#*_}
    detection_row "$profile" "$fault" "${DETECT_LABEL[$fault]}" "${DETECT_SERVICE[$fault]}" \
      "${samples[$row]:-}" "${samples[default_$fault]:-}" "${DETECT_BY_EVENT[$fault]:-}"
  done
  detection_sanity "$(median ${samples[event_nginx_kill]:-})" "$(median ${samples[default_nginx_kill]:-})"
  cat <<MD
## 5. Detection latency

From the fault to the agent's DOWN verdict for the service it hits, as a
director sees it: \`/health/<service>\` polled every 1 ms on a new connection
until it answers 503 (\`rsagent-bench-watch\`). A signal (\`kill -9\`, SIGSTOP)
is sent by the watcher itself after a last 200 and timed from the \`kill(2)\`
on its steady clock; \`STOP SLAVE SQL_THREAD\` is timed from the statement's
return. Each trial starts at a random phase against the probe schedule, from
a healthy agent. ${TRIALS} trials per row, all rows in one run
(\`tests/bench/run.sh$( ((QUICK)) && echo " --quick") --only detection\`), load
average ${load_start} at the start and ${load_end} at the end (2 cores
shared with other work). *Timing*: interval / timeout / fall /
\`watch_listener\`; rise 2 everywhere. *default* and *fast* measure the
schedule alone (\`watch_listener = false\`); *event* keeps the default
timings with the listener watched (the default since issue 19): the probe
turns DOWN the moment the last listener of its target is destroyed; for the
MariaDB services a \`tcp\` probe on mysqld's port carries the watch (the
\`mysql\` probe's target is its socket file). Each DOWN's reason in
\`/status\` is checked to be the event (event rows of a kill) or a failed
attempt (every other row). *default ÷ row*: the default row's median for the
same fault over this row's, in the same run (how many times faster). Bound:
fall × interval + timeout for the schedule, 50 ms (issue 19's target) for
the event. A SQL fault may be seen before its statement returns (the client
takes tens of ms here), so its shortest trials can be under one interval. A freeze
(SIGSTOP) keeps the listening socket, so only an attempt that times out sees
it, whatever the profile; a process exit with no listener change (pidfd) is
not watched.

${DETECT_TABLE_HEAD}
${DETECT_TABLE}
The seed's keepalived \`TCP_CHECK\` (\`delay_loop 3\`, \`connect_timeout 3\`,
keepalived's defaults \`retry 1\`, \`delay_before_retry 1\`), computed (this
kernel has no IPVS to run it):

| fault | TCP_CHECK detects after |
|---|---|
| nginx killed (connection refused) | next check + one retry: uniform 1–4 s (p50 2.5 s, p95 3.85 s, max 4 s) |
| host gone (no SYN-ACK) | next check + 2 × connect_timeout + retry delay: 7–10 s |
| nginx or mysqld stopped (SIGSTOP) | never: a TCP connect to the stopped mysqld here ${TCP_SEES_STOP:-was not tried (no SIGSTOP row in this run)} |
| replication SQL thread stopped | never: the port stays open |

MD
}

DETECT_TABLE_HEAD="| profile | timing | fault | service | trials | median ms | min–max ms | default ÷ row | bound ms |
|---|---|---|---|---|---|---|---|---|"
# detection_row PROFILE FAULT LABEL SERVICE SAMPLES DEFAULT_SAMPLES BY_EVENT [EXTRA_MS]:
# appends one table row to DETECT_TABLE and its target to TARGET_ROWS (so it
# runs in this shell, never in $(...)); BY_EVENT non-empty when the event
# path can see FAULT (its bound is then 50 ms under the event profile);
# EXTRA_MS is added to a scheduled bound (a server's own time to notice).
detection_row() {
  local profile=$1 fault=$2 interval timeout fall watch bound p ref x
  read -r interval timeout fall watch <<<"${DETECT_TIMING[$profile]}"
  bound=$((fall * interval + timeout + ${8:-0}))
  [[ $profile == event && -n $7 ]] && bound=50
  # shellcheck disable=SC2086  # samples hold words
  read -r -a p <<<"$(stats $5)"
  # shellcheck disable=SC2086
  ref=$(median $6)
  x=$(awk -v m="${p[0]}" -v d="$ref" 'BEGIN { if (m == "-" || d == "-" || m <= 0) print "-";
    else printf (d / m >= 10 ? "%.0f×" : "%.1f×"), d / m }')
  DETECT_TABLE+="| $profile | ${interval} ms / ${timeout} ms / $fall / $watch | $3 | $4 | $(wc -w <<<"$5") | **${p[0]}** | ${p[1]}–${p[2]} | $x | $bound |"$'\n'
  target "detection p50, $profile config, $fault" "≤ $bound ms" "${p[0]} ms" \
    "$(awk -v m="${p[0]}" -v b="$bound" 'BEGIN { print (m != "-" && m <= b) }')"
}

# The CI slice's sanity bounds, generous (a loaded 2-core box), on the
# medians: the event path must stay milliseconds and the default schedule
# must really be the schedule (fall 2 at 1 s: at least about one interval).
detection_sanity() {  # EVENT_MS DEFAULT_MS
  awk -v e="$1" 'BEGIN { exit !(e != "-" && e < 500) }' ||
    broken "event-driven DOWN after kill -9 nginx: median $1 ms, not < 500 ms"
  awk -v d="$2" 'BEGIN { exit !(d != "-" && d > 700) }' ||
    broken "scheduled DOWN (default timings) after kill -9 nginx: median $2 ms, not > 700 ms: is the profile applied?"
}
