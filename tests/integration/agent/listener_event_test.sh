#!/usr/bin/env bash
# Event-driven DOWN (issue 19): a tcp or http probe turns DOWN the moment the
# last listener of its target is destroyed (sock_diag SKNLGRP_INET_TCP_DESTROY),
# not after `fall` attempts. Against a real nginx killed with SIGKILL (master
# and workers), five trials each with watch_listener on and off, probes at
# interval 1s, fall 3: prints kill -> /health 503 in ms for both and the
# ratio. Then: a listener destroyed while another one still serves the port
# (SO_REUSEPORT) changes nothing; coming back UP still takes `rise` passes.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd nginx curl python3
make_tmp
make_ns lev NS
H=http://127.0.0.1:9480
WATCH="$(dirname "$0")/kill_watch.py"

write_config() {  # WATCH_LISTENER
  cat >"$TMP/rsagent.toml" <<CONF
$(agent_table 127.0.0.1:9480 "$TMP")

[probe.nginx]
type = "http"
url = "http://127.0.0.1:8080/"
interval = "1s"
timeout = "500ms"
rise = 2
fall = 3
watch_listener = $1

[probe.pair]
type = "tcp"
targets = ["127.0.0.1:8081"]
interval = "1s"
timeout = "500ms"
rise = 2
fall = 3

[service.web]
port = 80
probes = ["nginx"]

[service.pair]
port = 8081
probes = ["pair"]
CONF
}

# One trial: nginx up, agent UP, kill -9 -> TRIAL_MS until /health/web is 503.
trial() {
  start_nginx "$NS" "$TMP/nginx" 127.0.0.1:8080
  wait_until 10 http_is "$NS" "$H/health/web" 200 || fail "web not UP: $(tail -5 "$TMP/agent.log")"
  TRIAL_MS=$(ip netns exec "$NS" python3 "$WATCH" "$H/health/web" "$NGINX_PID" $(pgrep -P "$NGINX_PID"))
  wait "$NGINX_PID" 2>/dev/null || true
  [[ $TRIAL_MS != timeout ]] || fail "web never turned DOWN after the kill"
}

median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

declare -A MEDIAN
for mode in true false; do
  write_config "$mode"
  ip netns exec "$NS" "$RSAGENT" run -c "$TMP/rsagent.toml" >"$TMP/agent.log" 2>&1 &
  AGENT=$!
  on_exit "kill -9 $AGENT 2>/dev/null"
  times=()
  for i in 1 2 3 4 5; do
    trial
    times+=("$TRIAL_MS")
  done
  MEDIAN[$mode]=$(echo "${times[*]}" | median)
  log "watch_listener = $mode: kill -9 nginx -> /health 503 in ms: ${times[*]} (median ${MEDIAN[$mode]})"
  if [[ $mode == true ]]; then
    grep -q "no listener on 127.0.0.1:8080" "$TMP/agent.log" ||
      fail "the DOWN did not come from the listener event: $(tail -5 "$TMP/agent.log")"
    # Sanity bound only (a loaded CI box): scheduled detection needs >= 2 s here.
    for t in "${times[@]}"; do
      ((${t%.*} < 1500)) || fail "event-driven DOWN took $t ms"
    done
  fi
  kill -TERM "$AGENT"
  wait "$AGENT" 2>/dev/null || true
done
ratio=$(awk -v a="${MEDIAN[false]}" -v b="${MEDIAN[true]}" 'BEGIN{printf "%.0f", a / (b > 0.1 ? b : 0.1)}')
log "median kill -> DOWN: event-driven ${MEDIAN[true]} ms, scheduled (interval 1s, fall 3) ${MEDIAN[false]} ms: ${ratio}x faster"
pass "event-driven DOWN after kill -9 nginx, median ${MEDIAN[true]} ms"

# Two listeners on one port (SO_REUSEPORT): losing one is no death.
write_config true
ip netns exec "$NS" "$RSAGENT" run -c "$TMP/rsagent.toml" >"$TMP/agent2.log" 2>&1 &
AGENT=$!
on_exit "kill -9 $AGENT 2>/dev/null"
listener() {
  start_bg "$NS" "$TMP/listener-$1.log" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
s.bind(("127.0.0.1", 8081)); s.listen(64)
while True: s.accept()[0].close()
'
}
listener a
A=$BG_PID
listener b
B=$BG_PID
wait_until 10 http_is "$NS" "$H/health/pair" 200 || fail "pair not UP: $(tail -5 "$TMP/agent2.log")"
kill -9 "$A"
sleep 0.5
http_is "$NS" "$H/health/pair" 200 || fail "one of two listeners gone turned the probe DOWN"
pass "a destroyed listener with another one still on the port changes nothing"
ms=$(ip netns exec "$NS" python3 "$WATCH" "$H/health/pair" "$B")
[[ $ms != timeout ]] || fail "the last listener's death was not seen"
log "last listener gone -> DOWN in $ms ms"
listener c
t0=$(now_ms)
wait_until 10 http_is "$NS" "$H/health/pair" 200 || fail "pair did not come back"
up_ms=$(($(now_ms) - t0))
# rise = 2 at interval 1s: at least one interval after the listener is back.
((up_ms >= 700)) || fail "back UP after $up_ms ms: rise did not apply"
pass "DOWN in $ms ms when the last listener died; back UP after $up_ms ms (rise 2, interval 1s)"
