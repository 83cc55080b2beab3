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
