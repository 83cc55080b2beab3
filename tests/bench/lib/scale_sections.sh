# scale.sh's sections (source after setup.sh, reference.sh). Each prints
# markdown on stdout and logs progress on stderr; sections.sh's helpers
# (broken, spread, median, load) are reused.
source "$(dirname "${BASH_SOURCE[0]}")/sections.sh"

SCALE_PORT=9490

# task_cpu_ns PID -> nanoseconds on a CPU of all the process's threads
# (/proc/PID/task/*/schedstat, first field): clock ticks (10 ms) are too
# coarse for an agent that should use 0.2 % of a core.
task_cpu_ns() {
  { cat /proc/"$1"/task/*/schedstat 2>/dev/null || true; } | awk '{ s += $1 } END { printf "%.0f", s }'
}

# scale_config FILE N: N tcp probes on nginx's port, interval 1s (the other
# timings default), a service per ten probes.
scale_config() {
  local file=$1 n=$2 i j list
  {
    cat <<CONF
[agent]
listen = "127.0.0.1:$SCALE_PORT"
allow = ["127.0.0.0/8"]
state_dir = "$TMP/state-scale"
control_socket = "$TMP/control-scale.sock"
shutdown_grace = "0s"
log_level = "warn"
CONF
    for ((i = 0; i < n; i++)); do
      printf '\n[probe.p%04d]\ntype = "tcp"\ntargets = ["127.0.0.1:%d"]\ninterval = "1s"\n' \
        "$i" "$BENCH_NGINX_PORT"
    done
    for ((i = 0; i < n; i += 10)); do
      list=""
      for ((j = i; j < i + 10 && j < n; j++)); do list+="${list:+, }\"$(printf 'p%04d' "$j")\""; done
      printf '\n[service.s%04d]\nport = 80\nprobes = [%s]\n' "$i" "$list"
    done
  } >"$file"
}

# unit_priority -> the nice/ionice command prefix the shipped unit applies
# (packaging/systemd/rsagent.service: Nice=, IOSchedulingClass=,
# IOSchedulingPriority=), so a bench run outside systemd gets the same.
unit_priority() {
  local unit="$SOURCE_DIR/packaging/systemd/rsagent.service" nice class prio
  nice=$(sed -n 's/^Nice=//p' "$unit")
  class=$(sed -n 's/^IOSchedulingClass=//p' "$unit")
  prio=$(sed -n 's/^IOSchedulingPriority=//p' "$unit")
  local cmd=()
  [[ -n $nice ]] && cmd+=(nice -n "$nice")
  case $class in
    realtime) cmd+=(ionice -c 1 -n "${prio:-4}") ;;
    best-effort) cmd+=(ionice -c 2 -n "${prio:-4}") ;;
  esac
  echo "${cmd[*]}"
}

# scale_start AGENT CONFIG [PREFIX...]: sets AGENT_PID.
scale_start() {
  local agent=$1 config=$2
  shift 2
  start_bg "$BENCH_NS" "$TMP/scale-agent.log" "$@" "$agent" run -c "$config"
  AGENT_PID=$BG_PID
}

# SIGTERM, then SIGKILL after 10 s (the previous release with 1,000 probes
# did not finish exiting in 15 minutes: one runner thread at a time).
scale_stop() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  if ! wait_until 10 bash -c "! kill -0 $AGENT_PID 2>/dev/null || grep -q '^State:.*Z' /proc/$AGENT_PID/status"; then
    log "agent $AGENT_PID still running 10 s after SIGTERM: SIGKILL"
    kill -KILL "$AGENT_PID" 2>/dev/null || true
  fi
  wait "$AGENT_PID" 2>/dev/null || true
}

scale_status() { ip netns exec "$BENCH_NS" curl -s -m 5 "http://127.0.0.1:$SCALE_PORT/status"; }

section_scale() {
  declare -A CPU=() THREADS=() RSS=() P50=() P99=() DELAY=() HEALTHY=()
  local rep n which agent line t0 t1 key
  for ((rep = 1; rep <= REPS; rep++)); do
    for n in $SIZES; do
      scale_config "$TMP/scale-$n.toml" "$n"
      for which in new ref; do
        key="$which.$n"
        agent=${AGENTS[$which]}
        log "scale $rep/$REPS: $which, $n tcp probes"
        scale_start "$agent" "$TMP/scale-$n.toml"
        if wait_until 60 http_is "$BENCH_NS" "http://127.0.0.1:$SCALE_PORT/health" 200; then
          HEALTHY[$key]+=" $WAITED_MS"
        else
          HEALTHY[$key]+=" never"
          [[ $which == new ]] && broken "new agent with $n probes never healthy: $(tail -3 "$TMP/scale-agent.log")"
        fi
        sleep 2
        t0=$(task_cpu_ns "$AGENT_PID")
        sleep "$CPU_SECONDS"
        t1=$(task_cpu_ns "$AGENT_PID")
        # The previous release with 1,000 probes (a thread each) has exited
        # mid-run: that run is left out, and said so; for new it is broken.
        if ! kill -0 "$AGENT_PID" 2>/dev/null; then
          log "scale $rep/$REPS: $which with $n probes exited during the run, left out: $(tail -n 3 "$TMP/scale-agent.log")"
          [[ $which == new ]] && broken "new agent with $n probes exited during the run"
          wait "$AGENT_PID" 2>/dev/null || true
          continue
        fi
        CPU[$key]+=" $(awk -v a="$t0" -v b="$t1" -v s="$CPU_SECONDS" 'BEGIN { printf "%.2f", (b - a) / (s * 1e7) }')"
        THREADS[$key]+=" $(status_field "$AGENT_PID" Threads)"
        RSS[$key]+=" $(mb "$(rss_kb "$AGENT_PID")")"
        line=$(load --mode close --target "127.0.0.1:$SCALE_PORT" --path /health --concurrency 1 \
          --rate 20 --duration "$LATENCY_SECONDS")
        [[ $which == new ]] && expect_all_ok "new /health, $n probes" "$line"
        P50[$key]+=" $(us_to_ms "$(kv "$line" p50_us)")"
        P99[$key]+=" $(us_to_ms "$(kv "$line" p99_us)")"
        if [[ $which == new ]]; then
          DELAY[$key]+=" $(scale_status | python3 -c '
import json, sys
d = [p["last"]["schedule_delay_ms"] for p in json.load(sys.stdin)["probes"] if p["last"]]
print("%.2f" % max(d) if d else "-")')"
        fi
        scale_stop
      done
    done
  done

  local rows="" ratios=""
  for n in $SIZES; do
    rows+="| $n | $(spread ${CPU[new.$n]}) | $(spread ${CPU[ref.$n]}) | $(spread ${THREADS[new.$n]}) | $(spread ${THREADS[ref.$n]}) | $(spread ${RSS[new.$n]}) | $(spread ${RSS[ref.$n]}) | $(spread ${P50[new.$n]}) | $(spread ${P50[ref.$n]}) | $(spread ${P99[new.$n]}) | $(spread ${P99[ref.$n]}) | $(spread ${DELAY[new.$n]}) |"$'\n'
    ratios+="| $n | $(ratio "$(median ${CPU[new.$n]})" "$(median ${CPU[ref.$n]})") | $(ratio "$(median ${THREADS[new.$n]})" "$(median ${THREADS[ref.$n]})") | $(ratio "$(median ${RSS[new.$n]})" "$(median ${RSS[ref.$n]})") | $(ratio "$(median ${P50[new.$n]})" "$(median ${P50[ref.$n]})") |"$'\n'
  done
  local first last
  first=$(awk '{ print $1 }' <<<"$SIZES") last=$(awk '{ print $NF }' <<<"$SIZES")
  cat <<MD
### Cost with the number of probes

tcp probes on the namespace's nginx, \`interval = "1s"\` (timeout 500ms),
a service per ten probes; CPU over ${CPU_SECONDS} s from 2 s after the agent
turned healthy (all threads' run time from \`/proc/PID/task/*/schedstat\`, in
% of one core); threads and RSS at the end of that window; \`/health\` on a
new connection per check at 20 checks/s for ${LATENCY_SECONDS} s. Median of ${REPS}
runs [range]; *new* and *ref* alternate. *delay*: the largest
\`schedule_delay\` in /status at the end (how late an attempt started).

| probes | CPU % new | CPU % ref | threads new | threads ref | RSS MB new | RSS MB ref | /health p50 ms new | p50 ref | p99 ms new | p99 ref | delay ms new |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows}
Ratios new / ref (medians):

| probes | CPU | threads | RSS | /health p50 |
|---|---|---|---|---|
${ratios}
The threads of *new* are the process's fixed ones plus the probe pool: 2 to
16 workers, one of them leading (\`health/probe_scheduler.h\`), whatever the
number of probes.

MD
  local cpu_first cpu_last
  cpu_first=$(median ${CPU[new.$first]}) cpu_last=$(median ${CPU[new.$last]})
  target "CPU at $first probes" "≤ 0.2 % of a core" "$cpu_first %" "$(awk -v c="$cpu_first" 'BEGIN { print (c <= 0.2) }')"
  target "CPU at $last probes" "≤ 5 % of a core" "$cpu_last %" "$(awk -v c="$cpu_last" 'BEGIN { print (c <= 5) }')"
  target "threads at $last probes" "fixed + ≤ 16 (pool)" "$(median ${THREADS[new.$last]}) ($(median ${THREADS[new.$first]}) at $first)" \
    "$(( $(median ${THREADS[new.$last]}) - $(median ${THREADS[new.$first]}) <= 14 ))"
  target "RSS at $last probes" "≤ 16 MB" "$(median ${RSS[new.$last]}) MB" "$(awk -v r="$(median ${RSS[new.$last]})" 'BEGIN { print (r <= 16) }')"
  target "/health p50 at $last vs $first probes" "≤ 2×" \
    "$(median ${P50[new.$last]}) vs $(median ${P50[new.$first]}) ms" \
    "$(awk -v a="$(median ${P50[new.$last]})" -v b="$(median ${P50[new.$first]})" 'BEGIN { print (a <= 2 * b) }')"
  scale_targets
}

# starved_config FILE: nginx and db1 with the shipped examples' timings
# (conf/examples/web-node.toml: http 1s/500ms rise 2 fall 2, ports 2s/1s
# fall 3; db-node.toml: mysql 1s/800ms rise 3 fall 2).
starved_config() {
  cat >"$1" <<CONF
[agent]
listen = "127.0.0.1:$SCALE_PORT"
allow = ["127.0.0.0/8"]
state_dir = "$TMP/state-starved"
control_socket = "$TMP/control-starved.sock"
shutdown_grace = "0s"
log_level = "warn"

[probe.nginx]
type = "http"
url = "http://127.0.0.1:$BENCH_NGINX_PORT/"
interval = "1s"
timeout = "500ms"
rise = 2
fall = 2

[probe.ports]
type = "tcp"
targets = ["127.0.0.1:80", "127.0.0.1:443"]
interval = "2s"
timeout = "1s"
fall = 3

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db1)"
interval = "1s"
timeout = "800ms"
rise = 3
fall = 2

[service.web]
port = 80
probes = ["nginx", "ports"]

[service.db-writer]
port = 3306
probes = ["mysql"]
role = "writer"
CONF
}

# down_count BEFORE AFTER -> DOWN verdicts between two /status documents
# (probes, roles and services: each DOWN flip of a verdict that was UP).
down_count() {
  python3 "$SOURCE_DIR/tests/integration/lib/down_verdicts.py" "$1" "$2"
}

# max_delay_poll FILE: polls /status every 500 ms until killed, keeping the
# largest schedule_delay_ms seen in FILE (new agent only).
max_delay_poll() {
  local worst=0 d
  while :; do
    d=$(scale_status | python3 -c '
import json, sys
try:
    d = [p["last"].get("schedule_delay_ms", 0) for p in json.load(sys.stdin)["probes"] if p["last"]]
    print(max(d) if d else 0)
except Exception:
    print(0)') || d=0
    worst=$(awk -v a="$worst" -v b="$d" 'BEGIN { print (b > a ? b : a) }')
    echo "$worst" >"$1"
    sleep 0.5
  done
}

# freeze_time PIDS PATH -> ms from SIGSTOP of PIDS to PATH answering 503.
freeze_time() {
  local pids=$1 path=$2 t0 seen
  t0=$(now_ns)
  # shellcheck disable=SC2086
  kill -STOP $pids
  seen=$(ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-watch" --target "127.0.0.1:$SCALE_PORT" \
    --path "$path" --until 503 --interval-ms 20 --timeout-s 20) || seen=""
  # shellcheck disable=SC2086
  kill -CONT $pids
  if [[ -z $seen ]]; then echo never; return; fi
  awk -v a="$(kv "$seen" seen_ns)" -v b="$t0" 'BEGIN { printf "%.0f", (a - b) / 1e6 }'
}

section_starved() {
  local prio rows="" which agent before after downs delay web db cores trial
  prio=$(unit_priority)
  cores=$(nproc)
  starved_config "$TMP/starved.toml"
  declare -A LABEL=([new]="new, unit priority (${prio:-none})" [new0]="new, nice 0" [ref]="ref, nice 0 (its unit)")
  local variants="new ref"
  ((QUICK)) || variants="new new0 ref"
  declare -A WORST_DOWNS=() FREEZE_WEB=() FREEZE_DB=()
  for which in $variants; do
    agent=${AGENTS[${which%0}]}
    log "starved host: $which, stress-ng --cpu $cores for ${HOG_SECONDS} s"
    if [[ $which == new ]]; then
      # shellcheck disable=SC2086
      scale_start "$agent" "$TMP/starved.toml" $prio
    else
      scale_start "$agent" "$TMP/starved.toml"
    fi
    wait_until 30 http_is "$BENCH_NS" "http://127.0.0.1:$SCALE_PORT/health" 200 ||
      broken "$which: never healthy before the hog: $(scale_status | head -c 600)"
    sleep 2
    scale_status >"$TMP/before.json"
    max_delay_poll "$TMP/delay" &
    local poller=$!
    stress-ng --cpu "$cores" --timeout "${HOG_SECONDS}s" --quiet &
    local hog=$!
    on_exit "grep -qs stress-ng /proc/$hog/comm && kill $hog"  # an interrupted run leaves no hog
    wait "$hog" || true
    scale_status >"$TMP/after.json"
    downs=$(down_count "$TMP/before.json" "$TMP/after.json")
    WORST_DOWNS[$which]=$downs
    [[ $which == new ]] && ((downs > 0)) && broken "$downs false DOWN verdict(s) under the hog (new agent)"
    # Frozen servers under the same hog: DOWN within fall × interval + timeout.
    stress-ng --cpu "$cores" --timeout "$((FREEZE_TRIALS * 30))s" --quiet &
    hog=$!
    on_exit "grep -qs stress-ng /proc/$hog/comm && kill $hog"
    for ((trial = 1; trial <= FREEZE_TRIALS; trial++)); do
      web=$(freeze_time "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" /health/web)
      FREEZE_WEB[$which]+=" $web"
      wait_until 20 http_is "$BENCH_NS" "http://127.0.0.1:$SCALE_PORT/health" 200 || true
      db=$(freeze_time "${MDB_PID[db1]}" /health/db-writer)
      FREEZE_DB[$which]+=" $db"
      wait_until 20 http_is "$BENCH_NS" "http://127.0.0.1:$SCALE_PORT/health" 200 || true
    done
    kill "$hog" 2>/dev/null || true
    wait "$hog" 2>/dev/null || true
    kill "$poller" 2>/dev/null || true
    wait "$poller" 2>/dev/null || true
    delay=$(cat "$TMP/delay" 2>/dev/null || echo -)
    [[ $which == ref ]] && delay="(not reported)"
    rows+="| ${LABEL[$which]} | $downs | $delay | $(spread ${FREEZE_WEB[$which]}) | $(spread ${FREEZE_DB[$which]}) |"$'\n'
    scale_stop
  done
  cat <<MD
### A starved host

\`stress-ng --cpu $cores\` (one hog per core, nice 0) for ${HOG_SECONDS} s with nginx and
MariaDB healthy, the agent with the shipped examples' timings (web: http 1s/500ms
rise 2 fall 2, ports 2s/1s fall 3; db: mysql 1s/800ms rise 3 fall 2). Every DOWN
verdict in that time (probes, roles, services, counted from /status
transitions) is false. Then, under the same hog, nginx (master and workers) and
then mysqld frozen with SIGSTOP: ms until \`/health/web\` resp.
\`/health/db-writer\` answered 503 (${FREEZE_TRIALS} trial(s); bound
fall × interval + timeout = 2500 ms for nginx, 2800 ms for mysqld, plus up
to one interval of phase). *max schedule_delay*: the largest seen in /status,
polled every 0.5 s.

| agent | false DOWN in ${HOG_SECONDS} s | max schedule_delay ms | nginx frozen → DOWN ms | mysqld frozen → DOWN ms |
|---|---|---|---|---|
${rows}
MD
  target "false DOWN under a CPU hog on every core (new)" "0" "${WORST_DOWNS[new]}" "$((WORST_DOWNS[new] == 0))"
  local w
  w=$(median ${FREEZE_WEB[new]})
  target "frozen nginx → DOWN under the hog" "≤ 3500 ms" "$w ms" "$([[ $w != never ]] && awk -v w="$w" 'BEGIN { print (w <= 3500) }' || echo 0)"
  w=$(median ${FREEZE_DB[new]})
  target "frozen mysqld → DOWN under the hog" "≤ 3800 ms" "$w ms" "$([[ $w != never ]] && awk -v w="$w" 'BEGIN { print (w <= 3800) }' || echo 0)"
  scale_targets
}

# Prints the targets gathered since the last call as a table.
scale_targets() {
  ((${#TARGET_ROWS[@]})) || return 0
  echo "| target | goal | measured | |"
  echo "|---|---|---|---|"
  printf '%s\n' "${TARGET_ROWS[@]}"
  echo
  TARGET_ROWS=()
}
