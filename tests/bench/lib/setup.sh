# The benchmark's world, all inside one namespace run.sh creates: nginx
# answering a fixed 200, a MariaDB master-master pair, the clustercheck-style
# responder, and rsagent. Source after common.sh, nginx.sh, mariadb.sh.

BENCH_AGENT_PORT=9480
BENCH_AGENT_CHECK_PORT=9490
BENCH_CLUSTERCHECK_PORT=9200
BENCH_NGINX_PORT=80
# db1 and db2 share the namespace on two loopback addresses.
BENCH_DB1=127.0.0.2
BENCH_DB2=127.0.0.3

# nginx: the practical limit (fixed 200, no logging, one worker per core),
# also serving the ports the example configs and check_multi_port.sh expect.
bench_start_nginx() {
  local dir="$TMP/nginx"
  NGINX_WORKERS=auto NGINX_CONNECTIONS=4096 write_nginx_conf "$dir" '
    listen 0.0.0.0:80 backlog=4096;
    listen 0.0.0.0:443;
    listen 0.0.0.0:8080;
    listen 0.0.0.0:53;
    location / { return 200 "UP\n"; }'
  start_bg "$BENCH_NS" "$dir/stdout" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  NGINX_PID=$BG_PID
  wait_until 5 http_is "$BENCH_NS" "http://127.0.0.1/" 200 ||
    fail "nginx did not start: $(cat "$dir/error.log")"
}

bench_restart_nginx() {
  start_bg "$BENCH_NS" "$TMP/nginx/stdout" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" \
    -e "$TMP/nginx/error.log"
  NGINX_PID=$BG_PID
  wait_until 5 http_is "$BENCH_NS" "http://127.0.0.1/" 200 || fail "nginx did not restart"
}

bench_start_mariadb() {
  mdb_start db1 "$BENCH_NS" 1 "$BENCH_DB1"
  mdb_start db2 "$BENCH_NS" 2 "$BENCH_DB2"
  mdb_pair db1 db2
}

# socat forks the script per connection, as xinetd runs clustercheck.
bench_start_clustercheck() {
  start_bg "$BENCH_NS" "$TMP/clustercheck.log" socat \
    "TCP-LISTEN:$BENCH_CLUSTERCHECK_PORT,bind=127.0.0.1,fork,reuseaddr,backlog=1024" \
    "EXEC:$BENCH_DIR/clustercheck.sh $(mdb_sock db1)"
  CLUSTERCHECK_PID=$BG_PID
  wait_until 5 http_is "$BENCH_NS" "http://127.0.0.1:$BENCH_CLUSTERCHECK_PORT/" 200 ||
    fail "clustercheck responder did not answer 200: $(cat "$TMP/clustercheck.log")"
}

# bench_agent_config FILE: the agent the director checks, watching nginx
# (web) and db1 (writer and reader), every probe timing at its default.
# The detection section starts agents of its own (lib/detection.sh).
bench_agent_config() {
  local file="$1"
  cat >"$file" <<CONF
$(bench_agent_table)

[probe.nginx]
type = "http"
url = "http://127.0.0.1:$BENCH_NGINX_PORT/"

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db1)"
replication_required = true

[service.web]
port = 80
probes = ["nginx"]

[service.db-writer]
port = 3306
probes = ["mysql"]
role = "writer"

[service.db-reader]
port = 3306
probes = ["mysql"]
role = "reader"
CONF
}

# bench_agent_table: the [agent] table of every agent the bench runs on the
# health port.
bench_agent_table() {
  cat <<CONF
[agent]
listen = "127.0.0.1:$BENCH_AGENT_PORT"
agent_check_listen = "127.0.0.1:$BENCH_AGENT_CHECK_PORT"
allow = ["127.0.0.0/8"]
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
shutdown_grace = "0s"
log_level = "warn"
CONF
}

# bench_start_agent CONFIG: starts rsagent, waits for its first answer of
# any kind; sets AGENT_PID and AGENT_FIRST_ANSWER_MS (start to first answer).
# The port must be free before, and the answer must come from this process:
# an agent left running would otherwise answer for it (and measure its own
# config in place of CONFIG).
bench_start_agent() {
  local t0 seen
  [[ -z $(bench_port_owner) ]] ||
    fail "port $BENCH_AGENT_PORT is already served ($(bench_port_owner)): stop that agent first"
  t0=$(now_ns)
  start_bg "$BENCH_NS" "$TMP/agent.log" "$RSAGENT" run -c "$1"
  AGENT_PID=$BG_PID
  seen=$(ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-watch" \
    --target "127.0.0.1:$BENCH_AGENT_PORT" --until any --interval-ms 1 --timeout-s 10) ||
    fail "rsagent did not answer: $(tail -5 "$TMP/agent.log")"
  AGENT_FIRST_ANSWER_MS=$(awk -v a="$(kv "$seen" seen_ns)" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
  [[ $(bench_port_owner) == "$AGENT_PID" ]] ||
    fail "port $BENCH_AGENT_PORT is served by pid $(bench_port_owner), not the agent just started ($AGENT_PID): $(tail -3 "$TMP/agent.log")"
}

# bench_port_owner -> the pid listening on BENCH_AGENT_PORT in the namespace.
bench_port_owner() {
  ip netns exec "$BENCH_NS" ss -Hltnp "sport = :$BENCH_AGENT_PORT" |
    sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -1
}

bench_stop_agent() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
}

bench_wait_healthy() {  # [SECONDS]
  wait_until "${1:-30}" http_is "$BENCH_NS" "http://127.0.0.1:$BENCH_AGENT_PORT/health" 200
}
