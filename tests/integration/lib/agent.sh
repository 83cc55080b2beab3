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
