# Helpers for tests of the agent's control path (source after common.sh).

# start_tcp_acceptor NS PORT: accepts and closes connections on
# 127.0.0.1:PORT in NS — a stand-in for a served port when the test is about
# the control path, not the probes.
start_tcp_acceptor() {
  start_bg "$1" "$TMP/acceptor-$2.log" python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
while True: s.accept()[0].close()
' "$2"
}

# agent_table LISTEN DIR: the [agent] table of a test agent listening on
# LISTEN (IP:PORT), its state_dir and control socket under DIR, no
# shutdown grace.
agent_table() {
  cat <<CONF
[agent]
listen = "$1"
shutdown_grace = "0s"
state_dir = "$2/state"
control_socket = "$2/control.sock"
CONF
}

# run_agent NS CONFIG LOG URL [PREFIX...] -> AGENT_PID: the agent started in
# NS (behind PREFIX, e.g. nice), its kill registered, and URL answering 200.
run_agent() {
  local ns="$1" config="$2" logf="$3" url="$4"
  shift 4
  start_bg "$ns" "$logf" "$@" "$RSAGENT" run -c "$config"
  AGENT_PID=$BG_PID
  wait_until 30 http_is "$ns" "$url" 200 ||
    fail "agent not UP at $url: $(tail -5 "$logf")"
}

# write_agent_config FILE STATE_DIR SOCKET SERVICE [EXTRA_TOML]: an agent on
# 127.0.0.1:9480 whose one service SERVICE rests on a fast tcp probe of
# 127.0.0.1:8080 (start_tcp_acceptor NS 8080).
write_agent_config() {
  cat >"$1" <<CONF
[agent]
listen = "127.0.0.1:9480"
state_dir = "$2"
control_socket = "$3"
shutdown_grace = "0s"

[probe.port]
type = "tcp"
targets = ["127.0.0.1:8080"]
interval = "100ms"
timeout = "100ms"
rise = 1
fall = 1

[service.$4]
port = 80
probes = ["port"]
${5:-}
CONF
}

# The pool (below) seen as a director sees it (agent/pool_watch.py: every
# agent's /health/web every 20 ms, a fresh connection each, from POOL_READ_NS):
#   pool_watch_start OUT   starts it
#   pool_watch_stop LABEL  -> ROUNDS, EMPTY (rounds with no agent UP),
#                             MOST_DOWN (most agents DOWN in one round); logged
pool_watch_start() {
  local n agents=()
  POOL_WATCH_OUT="$1"
  for n in "${POOL_NODES[@]}"; do agents+=("${POOL_AGENT[$n]}"); done
  ip netns exec "$POOL_READ_NS" python3 "$(dirname "${BASH_SOURCE[0]}")/../agent/pool_watch.py" \
    web "$POOL_WATCH_OUT" "${agents[@]}" &
  POOL_WATCH_PID=$!
  on_exit "kill -9 $POOL_WATCH_PID"
}

pool_watch_stop() {
  kill -TERM "$POOL_WATCH_PID"
  wait "$POOL_WATCH_PID" || true
  local agents
  ROUNDS=$(wc -l <"$POOL_WATCH_OUT")
  EMPTY=$(awk '$1 == 0' "$POOL_WATCH_OUT" | wc -l)
  MOST_DOWN=$(awk 'BEGIN{m=0} {d=NF-1-$1; if (d>m) m=d} END{print m}' "$POOL_WATCH_OUT")
  agents=$(awk '{print NF - 1; exit}' "$POOL_WATCH_OUT")
  log "$1: $ROUNDS rounds, $EMPTY with the pool empty, at most $MOST_DOWN of $agents DOWN"
}

# A pool of real servers' agents for the max_down tests. The test sets
#   POOL_NODES=(a b c)      the nodes
#   POOL_NS[node]           the namespace each agent runs in
#   POOL_AGENT[node]        its listener, IP:PORT (what its peers and the director read)
#   POOL_URL[node]          the URL of its nginx (one http probe, 300ms/200ms, rise 2, fall 2)
#   POOL_READ_NS            where the agents are read from (the director's view)
# pool_start_agents [MAX_DOWN_LINE]: each agent with every other node as a
#   [peer.NAME] ($TMP/NODE.toml, log $TMP/agent-NODE.log), all waited UP.
# pool_stop_agents: SIGTERM, waited.
declare -gA POOL_NS=() POOL_AGENT=() POOL_URL=() POOL_PID=()

pool_start_agents() {
  local n p peers
  for n in "${POOL_NODES[@]}"; do
    peers=""
    for p in "${POOL_NODES[@]}"; do
      [[ $p == "$n" ]] || peers+=$'\n'"[peer.$p]"$'\n'"agent = \"${POOL_AGENT[$p]}\""
    done
    mkdir -p "$TMP/node-$n"
    cat >"$TMP/$n.toml" <<CONF
$(agent_table "${POOL_AGENT[$n]}" "$TMP/node-$n")

[probe.nginx]
type = "http"
url = "${POOL_URL[$n]}"
interval = "300ms"
timeout = "200ms"
rise = 2
fall = 2

[service.web]
port = 80
probes = ["nginx"]
${1:-}
$peers
CONF
    start_bg "${POOL_NS[$n]}" "$TMP/agent-$n.log" "$RSAGENT" run -c "$TMP/$n.toml"
    POOL_PID[$n]=$BG_PID
  done
  for n in "${POOL_NODES[@]}"; do
    wait_until 15 http_is "$POOL_READ_NS" "http://${POOL_AGENT[$n]}/health/web" 200 ||
      fail "agent $n not UP: $(tail -5 "$TMP/agent-$n.log")"
  done
}

pool_stop_agents() {
  local n
  for n in "${POOL_NODES[@]}"; do kill -TERM "${POOL_PID[$n]}" 2>/dev/null || true; done
  for n in "${POOL_NODES[@]}"; do wait "${POOL_PID[$n]}" 2>/dev/null || true; done
}
