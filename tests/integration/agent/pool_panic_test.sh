#!/usr/bin/env bash
# The pool's panic threshold (issue 19, max_down): a shared cause — one slow
# backend behind the nginx of three real servers — makes every node's probe
# time out at once. Without max_down the three agents answer DOWN together
# and the pool is empty; with max_down = 1 at most one goes DOWN and the
# others are held UP (and say so: /status, rsagent_service_held, the log).
# Then a dead service is no shared cause: nginx on one node killed -9 takes
# that node DOWN at once even with max_down, and the slow backend afterwards
# takes no other node DOWN (the one DOWN node is the whole budget).
# Three agents, three real nginx and the backend in one namespace, on
# 127.0.0.1; a watcher samples the three /health/web every 20 ms.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd nginx curl python3
make_tmp
make_ns pool NS
POOL_NODES=(a b c)
POOL_READ_NS=$NS
declare -A AGENT_PORT=([a]=9481 [b]=9482 [c]=9483) WEB_PORT=([a]=8081 [b]=8082 [c]=8083) NGINX

# The shared backend: answers after the delay in $TMP/delay (seconds).
echo 0 >"$TMP/delay"
start_bg "$NS" "$TMP/backend.log" python3 -c '
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(float(open(sys.argv[1]).read()))
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers()
        self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 8090), H).serve_forever()
' "$TMP/delay"
for n in "${POOL_NODES[@]}"; do
  start_nginx "$NS" "$TMP/nginx-$n" "127.0.0.1:${WEB_PORT[$n]}" \
    'location / { proxy_pass http://127.0.0.1:8090; }'
  NGINX[$n]=$NGINX_PID
done

for n in "${POOL_NODES[@]}"; do
  POOL_NS[$n]=$NS
  POOL_AGENT[$n]=127.0.0.1:${AGENT_PORT[$n]}
  POOL_URL[$n]=http://127.0.0.1:${WEB_PORT[$n]}/
done

# One shared slowness of SECONDS under the watcher -> EMPTY (rounds with no
# agent UP), MOST_DOWN, ROUNDS.
slow_backend() {  # NAME SECONDS LABEL
  pool_watch_start "$TMP/watch-$1.txt"
  sleep 0.5
  echo 1 >"$TMP/delay"
  sleep "$2"
  echo 0 >"$TMP/delay"
  sleep 0.5
  pool_watch_stop "$3"
}

# 1. Without max_down: the shared cause empties the pool.
pool_start_agents ""
slow_backend plain 3 "without max_down"
((EMPTY > 0)) || fail "without max_down the pool was never empty: the cause was not shared"
pass "without max_down a slow shared backend emptied the pool ($EMPTY of $ROUNDS rounds)"
pool_stop_agents

# 2. max_down = 1: never empty, at least one agent held UP and saying so.
pool_start_agents "max_down = 1"
slow_backend max_down 4 "max_down = 1"
((EMPTY == 0)) || fail "with max_down = 1 the pool was empty in $EMPTY of $ROUNDS rounds"
grep -q '"action":"service-held"\|service web .*held' "$TMP"/agent-*.log ||
  fail "no agent logged that it was held UP: $(tail -3 "$TMP"/agent-*.log)"
held_line=$(grep -h 'held UP by max_down 1 of 3' "$TMP"/agent-*.log | head -1)
[[ -n $held_line ]] || fail "no held UP reason in the logs"
log "e.g.: $held_line"
pass "with max_down = 1 the pool was never empty ($ROUNDS rounds, at most $MOST_DOWN DOWN at once)"

# While slow again: /status and /metrics of a held agent say so.
echo 1 >"$TMP/delay"
held_status() {
  local n
  for n in "${POOL_NODES[@]}"; do
    ip netns exec "$NS" curl -s -m 2 "http://127.0.0.1:${AGENT_PORT[$n]}/status" |
      python3 -c 'import json,sys; s=json.load(sys.stdin)["services"][0]; sys.exit(0 if s["held"] and s["up"] and s["pool"]=="failing" else 1)' &&
      ip netns exec "$NS" curl -s -m 2 "http://127.0.0.1:${AGENT_PORT[$n]}/metrics" |
      grep -q '^rsagent_service_held{service="web"} 1' && return 0
  done
  return 1
}
wait_until 5 held_status || fail "no agent showed held in /status and /metrics"
echo 0 >"$TMP/delay"
for n in "${POOL_NODES[@]}"; do
  wait_until 10 http_is "$NS" "http://127.0.0.1:${AGENT_PORT[$n]}/health/web" 200 ||
    fail "agent $n did not come back UP after the backend recovered"
done
pass "a held agent says so in /status (held, pool failing) and rsagent_service_held"

# 3. A dead service is not a shared cause: DOWN at once, and it uses the budget.
kill -9 "${NGINX[a]}" $(pgrep -P "${NGINX[a]}") 2>/dev/null || true
wait_until 3 http_is "$NS" "http://127.0.0.1:${AGENT_PORT[a]}/health/web" 503 ||
  fail "node a with nginx killed was not DOWN"
slow_backend dead 3 "nginx on a dead, then a slow backend, max_down = 1"
awk '$3 == 200 && $4 == 200 {ok++} END {exit ok == NR ? 0 : 1}' "$TMP/watch-dead.txt" ||
  fail "b or c went DOWN while a was already DOWN (budget max_down = 1)"
grep -q 'max_down' <(ip netns exec "$NS" curl -s "http://127.0.0.1:${AGENT_PORT[a]}/status") &&
  fail "a dead nginx was treated as a shared cause on a"
pass "nginx killed on a: DOWN at once, not held; the slow backend then took neither b nor c DOWN"
pool_stop_agents
