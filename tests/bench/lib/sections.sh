# The report's sections (source after setup.sh and measure.sh). Each prints
# markdown on stdout, logs progress on stderr, adds its targets to TARGET_ROWS
# and counts broken behaviour (a wrong status, a check that never answers) in
# BROKEN (measure.sh).

load() { ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-load" "$@"; }

# The responders, by name: "what a check is" for rsagent-bench-load.
declare -A CASE_ARGS=(
  [rsagent.close]="--mode close --target 127.0.0.1:$BENCH_AGENT_PORT --path /health"
  [nginx.close]="--mode close --target 127.0.0.1:$BENCH_NGINX_PORT --path /"
  [clustercheck.close]="--mode close --target 127.0.0.1:$BENCH_CLUSTERCHECK_PORT --path /"
  [misc_check.exec]="--mode exec -- /bin/bash $SOURCE_DIR/tests/unit/probes/testdata/check_multi_port.sh $BENCH_DB1"
  [rsagent.keepalive]="--mode keepalive --target 127.0.0.1:$BENCH_AGENT_PORT --path /health"
  [nginx.keepalive]="--mode keepalive --target 127.0.0.1:$BENCH_NGINX_PORT --path /"
)
CASE_ORDER=(rsagent.close nginx.close clustercheck.close misc_check.exec rsagent.keepalive nginx.keepalive)

case_pids() {
  case $1 in
    rsagent.*) echo "$AGENT_PID" ;;
    nginx.*) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
    clustercheck.*) echo "$CLUSTERCHECK_PID" ;;
  esac
}

# Every answer of a healthy responder is 200 (exit 0 for MISC_CHECK), or
# the code given (rsagent-check: the weight + 2).
expect_all_ok() {  # CASE LINE [CODE]
  local codes errors
  codes=$(kv "$2" codes) errors=$(kv "$2" errors)
  if [[ $errors != 0 || ! $codes =~ ^(${3:-200|0}):[0-9]+$ ]]; then
    broken "$1: codes=$codes errors=$errors $(kv "$2" first_error)"
  fi
}

us_to_ms() { awk '{ for (i = 1; i <= NF; i++) printf "%s%.2f", (i > 1 ? " " : ""), $i / 1000 }' <<<"$*"; }

section_throughput() {
  declare -gA RPS=() P50=() P99=() CPU=()
  local rep name line before after checks
  for ((rep = 1; rep <= REPS; rep++)); do
    for name in "${CASE_ORDER[@]}"; do
      log "throughput $rep/$REPS: $name"
      read -r -a pids <<<"$(case_pids "$name")"
      before=$( ((${#pids[@]})) && cpu_ticks "${pids[@]}" || echo 0)
      # shellcheck disable=SC2086  # CASE_ARGS holds words
      line=$(load --concurrency 4 --duration "$SECONDS_PER_RUN" ${CASE_ARGS[$name]})
      after=$( ((${#pids[@]})) && cpu_ticks "${pids[@]}" || echo 0)
      expect_all_ok "$name" "$line"
      checks=$(kv "$line" checks)
      RPS[$name]+=" $(kv "$line" rps)"
      P50[$name]+=" $(us_to_ms "$(kv "$line" p50_us)")"
      P99[$name]+=" $(us_to_ms "$(kv "$line" p99_us)")"
      if [[ $name == misc_check.* ]]; then
        CPU[$name]+=" $(awk -v c="$(kv "$line" child_cpu_us)" -v n="$checks" 'BEGIN { printf "%.0f", c / n }')"
      else  # clock ticks are 10 ms
        CPU[$name]+=" $(awk -v t="$((after - before))" -v n="$checks" 'BEGIN { printf "%.0f", t * 10000 / n }')"
      fi
    done
  done
  local ratio_nginx ratio_cc ratio_misc ratio_ka
  ratio_nginx=$(ratio "$(median ${RPS[rsagent.close]})" "$(median ${RPS[nginx.close]})")
  ratio_cc=$(ratio "$(median ${RPS[rsagent.close]})" "$(median ${RPS[clustercheck.close]})")
  ratio_misc=$(ratio "$(median ${RPS[rsagent.close]})" "$(median ${RPS[misc_check.exec]})")
  ratio_ka=$(ratio "$(median ${RPS[rsagent.keepalive]})" "$(median ${RPS[nginx.keepalive]})")
  cat <<MD
## 1. The health endpoint as the director sees it

Four clients back to back for ${SECONDS_PER_RUN} s per run. *close*: a new TCP
connection per check, HTTP/1.0, read until the server closes (keepalived
\`HTTP_GET\`). *keep-alive*: HTTP/1.1 on a kept connection (HAProxy). *exec*:
fork \`check_multi_port.sh\` per check and take its exit code (keepalived
\`MISC_CHECK\`; ports 80, 3306, 53 all open). CPU per check is the
responder's user+system time (with its children) over the run, divided by
the checks it answered.

| check | responder | checks/s | p50 ms | p99 ms | CPU µs/check |
|---|---|---|---|---|---|
| close | rsagent \`/health\` | $(spread ${RPS[rsagent.close]}) | $(spread ${P50[rsagent.close]}) | $(spread ${P99[rsagent.close]}) | $(median ${CPU[rsagent.close]}) |
| close | nginx fixed 200 | $(spread ${RPS[nginx.close]}) | $(spread ${P50[nginx.close]}) | $(spread ${P99[nginx.close]}) | $(median ${CPU[nginx.close]}) |
| close | clustercheck-style (socat fork + mariadb client) | $(spread ${RPS[clustercheck.close]}) | $(spread ${P50[clustercheck.close]}) | $(spread ${P99[clustercheck.close]}) | $(median ${CPU[clustercheck.close]}) |
| exec | MISC_CHECK \`check_multi_port.sh\` | $(spread ${RPS[misc_check.exec]}) | $(spread ${P50[misc_check.exec]}) | $(spread ${P99[misc_check.exec]}) | $(median ${CPU[misc_check.exec]}) |
| keep-alive | rsagent \`/health\` | $(spread ${RPS[rsagent.keepalive]}) | $(spread ${P50[rsagent.keepalive]}) | $(spread ${P99[rsagent.keepalive]}) | $(median ${CPU[rsagent.keepalive]}) |
| keep-alive | nginx fixed 200 | $(spread ${RPS[nginx.keepalive]}) | $(spread ${P50[nginx.keepalive]}) | $(spread ${P99[nginx.keepalive]}) | $(median ${CPU[nginx.keepalive]}) |

Ratios of the medians: new connection rsagent / nginx **${ratio_nginx}×**,
rsagent / clustercheck-style **${ratio_cc}×**, rsagent / MISC_CHECK
**${ratio_misc}×**; keep-alive rsagent / nginx **${ratio_ka}×**.

MD
  target "new-connection /health rate vs nginx fixed 200" "≥ 0.5×" "${ratio_nginx}×" \
    "$(awk -v r="$ratio_nginx" 'BEGIN { print (r >= 0.5) }')"
  target "new-connection /health rate vs clustercheck-style" "≥ 50×" "${ratio_cc}×" \
    "$(awk -v r="$ratio_cc" 'BEGIN { print (r >= 50) }')"
}

# Weights for the directors (issue 18): HAProxy's agent-check and keepalived's
# MISC_CHECK through rsagent-check, each next to what it replaces or sits
# beside, in the same runs: the agent-check port against /health/web on a
# new connection (HTTP_GET), rsagent-check against check_multi_port.sh.
# /bin/true is the floor of any forked check on this machine.
WEIGHT_CASES=(health_web.close agent_check.agent rsagent_check.exec rsagent_check_dynamic.exec
  exec_floor.exec misc_check.exec)
declare -A WEIGHT_ARGS=(
  [health_web.close]="--mode close --target 127.0.0.1:$BENCH_AGENT_PORT --path /health/web"
  [agent_check.agent]="--mode agent --target 127.0.0.1:$BENCH_AGENT_CHECK_PORT --send web"
  [rsagent_check.exec]="--mode exec -- $RSAGENT_CHECK 127.0.0.1:$BENCH_AGENT_PORT web"
  [rsagent_check_dynamic.exec]="--mode exec -- $BENCH_BIN/rsagent-bench-check-dynamic 127.0.0.1:$BENCH_AGENT_PORT web"
  [exec_floor.exec]="--mode exec -- /bin/true"
  [misc_check.exec]="${CASE_ARGS[misc_check.exec]}"
)
declare -A WEIGHT_LABEL=(
  [health_web.close]="keepalived \`HTTP_GET\` \`/health/web\` (new connection)"
  [agent_check.agent]="HAProxy \`agent-check\` (\`agent-send web\`)"
  [rsagent_check.exec]="MISC_CHECK \`rsagent-check\` (fork + exec + \`/health/web\`; a static PIE)"
  [rsagent_check_dynamic.exec]="the same linked against the shared libstdc++ (before)"
  [exec_floor.exec]="fork + exec of \`/bin/true\` (the floor)"
  [misc_check.exec]="MISC_CHECK \`check_multi_port.sh\` (the seed's)"
)
# The web service's weight is 100 (the default): rsagent-check exits 102.
declare -A WEIGHT_CODE=([rsagent_check.exec]=102 [rsagent_check_dynamic.exec]=102)

section_weights() {
  declare -A W_RPS=() W_CPU=() W_CHECKER=() W_P50=() W_P99=()
  local rep name line before after checks
  # The default agent, afresh (detection, before, ran others).
  bench_stop_agent
  bench_start_agent "$TMP/agent.toml"
  bench_wait_healthy 30 || broken "weights: /health never 200"
  for ((rep = 1; rep <= REPS; rep++)); do
    for name in "${WEIGHT_CASES[@]}"; do
      log "weights $rep/$REPS: $name, flat out"
      before=$(cpu_ticks "$AGENT_PID")
      # shellcheck disable=SC2086  # WEIGHT_ARGS holds words
      line=$(load --concurrency 4 --duration "$SECONDS_PER_RUN" ${WEIGHT_ARGS[$name]})
      after=$(cpu_ticks "$AGENT_PID")
      expect_all_ok "$name" "$line" "${WEIGHT_CODE[$name]:-}"
      checks=$(kv "$line" checks)
      W_RPS[$name]+=" $(kv "$line" rps)"
      # The agent's share (clock ticks are 10 ms); check_multi_port.sh never asks it.
      [[ $name == misc_check.* || $name == exec_floor.* ]] || W_CPU[$name]+=" $(awk -v t="$((after - before))" -v n="$checks" 'BEGIN { printf "%.0f", t * 10000 / n }')"
      if [[ $name == *.exec ]]; then
        W_CHECKER[$name]+=" $(awk -v c="$(kv "$line" child_cpu_us)" -v n="$checks" 'BEGIN { printf "%.0f", c / n }')"
      fi
      log "weights $rep/$REPS: $name, 50 checks/s"
      # shellcheck disable=SC2086
      line=$(load --concurrency 1 --rate 50 --duration "$RATE_SECONDS" ${WEIGHT_ARGS[$name]})
      expect_all_ok "$name" "$line" "${WEIGHT_CODE[$name]:-}"
      W_P50[$name]+=" $(us_to_ms "$(kv "$line" p50_us)")"
      W_P99[$name]+=" $(us_to_ms "$(kv "$line" p99_us)")"
    done
  done
  local rows="" checker agent_cpu
  for name in "${WEIGHT_CASES[@]}"; do
    checker=$([[ $name == *.exec ]] && median ${W_CHECKER[$name]} || echo "–")
    agent_cpu=$([[ -n ${W_CPU[$name]:-} ]] && median ${W_CPU[$name]} || echo "–")
    rows+="| ${WEIGHT_LABEL[$name]} | $(spread ${W_P50[$name]}) | $(spread ${W_P99[$name]}) | $(spread ${W_RPS[$name]}) | $agent_cpu | $checker |"$'\n'
  done
  local lat_agent lat_exec rate_agent rate_exec cpu_exec check_p50 over_floor
  lat_agent=$(ratio "$(median ${W_P50[agent_check.agent]})" "$(median ${W_P50[health_web.close]})")
  rate_agent=$(ratio "$(median ${W_RPS[agent_check.agent]})" "$(median ${W_RPS[health_web.close]})")
  lat_exec=$(ratio "$(median ${W_P50[misc_check.exec]})" "$(median ${W_P50[rsagent_check.exec]})")
  rate_exec=$(ratio "$(median ${W_RPS[rsagent_check.exec]})" "$(median ${W_RPS[misc_check.exec]})")
  cpu_exec=$(ratio "$(median ${W_CHECKER[misc_check.exec]})" "$(median ${W_CHECKER[rsagent_check.exec]})")
  check_p50=$(median ${W_P50[rsagent_check.exec]})
  over_floor=$(awk -v a="$(median ${W_CHECKER[rsagent_check.exec]})" -v b="$(median ${W_CHECKER[exec_floor.exec]})" 'BEGIN { printf "%.0f", a - b }')
  local static_gain floor_text
  if ((over_floor >= 0)); then
    floor_text="Of rsagent-check's checker CPU, all but ${over_floor} µs is what any fork + exec costs here (\`/bin/true\`)."
  else
    floor_text="rsagent-check's checker CPU is $((-over_floor)) µs below a fork + exec of \`/bin/true\`: a static PIE leaves ld.so nothing to do, \`/bin/true\` loads libc."
  fi
  static_gain=$(ratio "$(median ${W_CHECKER[rsagent_check_dynamic.exec]})" "$(median ${W_CHECKER[rsagent_check.exec]})")
  cat <<MD
## 6. Weights for the directors

The checks that carry the weight the agent computes (issue 18), each next to
its reference in the same runs. *Latency*: one client, 50 checks/s for
${RATE_SECONDS} s. *Checks/s* and CPU: four clients back to back for
${SECONDS_PER_RUN} s. *Agent CPU*: the agent's user+system time over the run
per check answered, its probes included (the forked scripts never ask the
agent). *Checker CPU*: what the director pays per forked check (user+system
of the child: fork, exec, dynamic loading, the check itself). The agent-check
answer comes from the same cached snapshot as \`/health\`: one line each
way, no HTTP. The p99 column is this shared machine's scheduling noise (the
other sections show the same): compare rows, not absolute tails.

| check | p50 ms | p99 ms | checks/s | agent CPU µs/check | checker CPU µs/check |
|---|---|---|---|---|---|
${rows}
Ratios of the medians: agent-check / \`/health/web\` latency **${lat_agent}×**,
checks/s **${rate_agent}×**; rsagent-check against check_multi_port.sh:
**${lat_exec}×** faster per check, **${rate_exec}×** the checks/s, **${cpu_exec}×**
less checker CPU. ${floor_text} Linked against the shared libstdc++ it needs
**${static_gain}×** the checker CPU of the static PIE: the dynamic loading
(mapping, relocating and binding libstdc++, libm, libgcc_s) was more than
half of a check's cost.

MD
  target "rsagent-check per check (fork, exec, answer), p50 at 50/s" "< 1 ms" \
    "${check_p50} ms (/bin/true $(median ${W_P50[exec_floor.exec]}) ms)" \
    "$(awk -v p="$check_p50" 'BEGIN { print (p < 1) }')"
  target "agent-check p50 vs /health/web (new connection)" "≤ 1.5×" "${lat_agent}×" \
    "$(awk -v r="$lat_agent" 'BEGIN { print (r != "-" && r <= 1.5) }')"
}

section_keepalived_rate() {
  declare -A R50=() R99=() RMAX=()
  local rep name line rows="" agent_p99
  for ((rep = 1; rep <= REPS; rep++)); do
    for name in rsagent.close nginx.close clustercheck.close; do
      log "at a director's pace $rep/$REPS: $name"
      # shellcheck disable=SC2086
      line=$(load --concurrency 1 --rate 50 --duration "$RATE_SECONDS" ${CASE_ARGS[$name]})
      expect_all_ok "$name" "$line"
      R50[$name]+=" $(us_to_ms "$(kv "$line" p50_us)")"
      R99[$name]+=" $(us_to_ms "$(kv "$line" p99_us)")"
      RMAX[$name]+=" $(us_to_ms "$(kv "$line" max_us)")"
    done
  done
  for name in rsagent.close nginx.close clustercheck.close; do
    rows+="| ${name%%.*} | $(spread ${R50[$name]}) | $(spread ${R99[$name]}) | $(spread ${RMAX[$name]}) |"$'\n'
  done
  agent_p99=$(median ${R99[rsagent.close]})
  cat <<MD
## 2. Latency at a director's pace

New connection per check, 50 checks/s for ${RATE_SECONDS} s per run (${REPS} runs,
interleaved) — far above what keepalived sends (one check per real server per
\`delay_loop\`, per director), far below saturation. At this pace the tail is
the machine's scheduling noise (other work on the same 2 cores wakes in between):
compare rsagent with nginx in the same runs.

| responder | p50 ms | p99 ms | max ms |
|---|---|---|---|
${rows}
MD
  target "/health p99 at keepalived's rates (median of runs)" "< 1 ms" \
    "${agent_p99} ms (nginx $(median ${R99[nginx.close]}) ms)" \
    "$(awk -v p="$agent_p99" 'BEGIN { print (p < 1) }')"
}

section_abuse() {
  local who style line hold rows="" worst=0 failures=0 port
  for who in rsagent nginx; do
    [[ $who == rsagent ]] && port=$BENCH_AGENT_PORT || port=$BENCH_NGINX_PORT
    for style in idle slowloris; do
      log "abuse: 1000 $style connections against $who"
      ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-hold" --target "127.0.0.1:$port" \
        --connections 1000 --duration "$ABUSE_SECONDS" --style "$style" >"$TMP/hold.out" &
      local hold_pid=$!
      on_exit "kill $hold_pid"
      sleep 2
      line=$(load --mode close --target "127.0.0.1:$port" --path "$([[ $who == rsagent ]] && echo /health || echo /)" \
        --concurrency 1 --rate 10 --duration $((ABUSE_SECONDS - 4)) --timeout-ms 5000)
      wait "$hold_pid" || true
      hold=$(cat "$TMP/hold.out")
      rows+="| $who | $style | $(kv "$hold" held_avg) | $(kv "$hold" server_closes) | $(kv "$line" checks) | $(kv "$line" errors) | $(us_to_ms "$(kv "$line" p50_us)") | $(us_to_ms "$(kv "$line" p99_us)") | $(us_to_ms "$(kv "$line" max_us)") |"$'\n'
      if [[ $who == rsagent ]]; then
        worst=$(awk -v a="$worst" -v b="$(us_to_ms "$(kv "$line" max_us)")" 'BEGIN { print (b > a ? b : a) }')
        failures=$((failures + $(kv "$line" errors)))
      fi
    done
  done
  http_is "$BENCH_NS" "http://127.0.0.1:$BENCH_AGENT_PORT/health" 200 ||
    broken "rsagent does not answer 200 after the abuse"
  cat <<MD
## 3. Under abuse

1,000 connections held open against the health port for ${ABUSE_SECONDS} s
(*idle*: connected, silent; *slowloris*: a request line, then one header line
a second, never finished; any connection the server closes is reopened at
once), while a director checks 10 times a second on new connections (5 s
timeout). *held* is the attacker's average number of open connections,
*closed* how many the server cut.

| server | attack | held | closed | checks | failed | p50 ms | p99 ms | max ms |
|---|---|---|---|---|---|---|---|---|
${rows}
MD
  target "director checks under 1,000 slow connections" "all answered, < 100 ms" \
    "max ${worst} ms, ${failures} failed" "$(awk -v w="$worst" -v f="$failures" 'BEGIN { print (w < 100 && f == 0) }')"
}

# example_config SRC DST PORT: an example config pointed at this namespace.
# The db example's [pair] (its last section) goes: its peer is not here, and a
# pair that cannot reach its peer keeps the writer DOWN by design; the pair's
# cost is measured by its own tests (tests/integration/mysql/writer_*).
example_config() {
  sed -e "s|^listen = .*|listen = \"127.0.0.1:$3\"|" \
    -e '/^\[pair\]/,$d' \
    -e "s|^state_dir = .*||; s|^control_socket = .*||; s|^credentials = .*||" \
    -e "s|^socket = .*|socket = \"$(mdb_sock db1)\"|" \
    -e "s|^log_level = .*||" \
    -e "s|^\[agent\]|[agent]\nstate_dir = \"$TMP/state-$3\"\ncontrol_socket = \"$TMP/control-$3.sock\"\nlog_level = \"warn\"|" \
    "$1" >"$2"
}

section_footprint() {
  bench_stop_agent
  local example rows="" worst_rss=0 worst_cpu=0 t0 t1 port=9481
  for example in web-node db-node; do
    log "footprint: $example.toml, ${IDLE_SECONDS} s idle"
    example_config "$SOURCE_DIR/conf/examples/$example.toml" "$TMP/$example.toml" "$port"
    BENCH_AGENT_PORT=$port bench_start_agent "$TMP/$example.toml"
    wait_until 15 http_is "$BENCH_NS" "http://127.0.0.1:$port/health" 200 ||
      broken "$example: /health never 200: $(curl -s "http://127.0.0.1:$port/health" || ip netns exec "$BENCH_NS" curl -s "http://127.0.0.1:$port/status" | head -40)"
    sleep 2
    t0=$(cpu_ticks "$AGENT_PID")
    sleep "$IDLE_SECONDS"
    t1=$(cpu_ticks "$AGENT_PID")
    local rss anon cpu threads pss private
    rss=$(rss_kb "$AGENT_PID") anon=$(status_field "$AGENT_PID" RssAnon)
    pss=$(smaps_kb "$AGENT_PID" Pss) private=$(smaps_kb "$AGENT_PID" "Private_(Clean|Dirty)")
    threads=$(status_field "$AGENT_PID" Threads)
    cpu=$(awk -v t="$((t1 - t0))" -v s="$IDLE_SECONDS" 'BEGIN { printf "%.2f", t / s }')
    rows+="| $example.toml | ${AGENT_FIRST_ANSWER_MS} | $(mb "$rss") | $(mb "$pss") | $(mb "$private") | $(mb "$anon") | $threads | $cpu |"$'\n'
    worst_rss=$(awk -v a="$worst_rss" -v b="$rss" 'BEGIN { print (b > a ? b : a) }')
    worst_cpu=$(awk -v a="$worst_cpu" -v b="$cpu" 'BEGIN { print (b > a ? b : a) }')
    bench_stop_agent
    port=$((port + 1))
  done
  cat <<MD
## 4. Footprint

The agent with the shipped examples (\`conf/examples/*.toml\`, listen address,
paths and MySQL socket pointed at this namespace; the web node's VIP bound on
the namespace's \`lo\`), no HTTP traffic, probes running on their schedule.
*First answer*: from starting the process to its first HTTP answer. CPU: user +
system over ${IDLE_SECONDS} s, in % of one core. RSS counts every resident page
mapped, shared libraries included (libstdc++, libc, libcrypto pulled in by the
MariaDB client: pages every process on the box shares); PSS divides shared
pages among their users; *private* is what the agent alone costs.

| config | first answer ms | RSS MB | PSS MB | private MB | anon MB | threads | idle CPU % |
|---|---|---|---|---|---|---|---|
${rows}
For comparison, per check: the clustercheck-style responder costs
$(median ${CPU[clustercheck.close]}) µs of CPU (fork, bash, the mariadb
client, a MariaDB connection), MISC_CHECK $(median ${CPU[misc_check.exec]}) µs,
rsagent $(median ${CPU[rsagent.close]}) µs and nginx $(median ${CPU[nginx.close]}) µs
(section 1; clock ticks are 10 ms, so the small ones are averages over many checks).

MD
  target "RSS (web and db examples)" "≤ 10 MB" "$(awk -v k="$worst_rss" 'BEGIN { printf "%.1f MB", k / 1024 }')" \
    "$((worst_rss <= 10240))"
  target "idle CPU" "≤ 0.5 % of a core" "${worst_cpu} %" "$(awk -v c="$worst_cpu" 'BEGIN { print (c <= 0.5) }')"
}

section_targets() {
  cat <<MD
## Targets

| target | goal | measured | |
|---|---|---|---|
$(printf '%s\n' "${TARGET_ROWS[@]}")

Where a target is missed:

- *RSS*: the resident set counts every mapped page of the shared libraries the
  agent links (libstdc++, libc, and libcrypto/libssl pulled in by the MariaDB
  client: about 7 of the MB, resident in every process that uses them). What
  the agent alone costs is the *private* column of section 4 (under 4 MB, of
  which about 1 MB anonymous: heap and thread stacks), and PSS is about half
  the RSS. Meeting 10 MB RSS would mean not linking the MariaDB client, which
  the mysql probe needs.
- *p99 at a director's pace*, when missed, goes with nginx's own p99 in the
  same runs: on this shared 2-core machine the tail is scheduling noise, not
  the server (p50 is about 0.1 ms for both).
- *rsagent-check < 1 ms*, when missed, goes with the floor measured in the
  same runs: a fork + exec of \`/bin/true\` costs most of it on a busy host
  (this shared 2-core VM). rsagent-check adds a TCP connect and the agent's
  answer (the HTTP_GET row) and its own start (about 100 µs of CPU over the
  floor: a 1.2 MB executable with libstdc++ linked in, only libc loaded).

MD
}
