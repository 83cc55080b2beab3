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

# bench_agent_config FILE PROFILE: the agent the director checks, watching
# nginx (web) and db1 (writer and reader). PROFILE default keeps every probe
# timing at its default; fast checks five times a second.
bench_agent_config() {
  local file="$1" timing="" watch="watch_listener = false"
  if [[ $2 == fast ]]; then
    timing=$'interval = "200ms"\ntimeout = "150ms"\nrise = 2\nfall = 2'
  fi
  # event: default timings, nginx's listener watched (event-driven DOWN);
  # the other profiles measure the probe schedule alone.
  [[ $2 == event ]] && watch=""
  cat >"$file" <<CONF
[agent]
listen = "127.0.0.1:$BENCH_AGENT_PORT"
agent_check_listen = "127.0.0.1:$BENCH_AGENT_CHECK_PORT"
allow = ["127.0.0.0/8"]
state_dir = "$TMP/state"
control_socket = "$TMP/control.sock"
shutdown_grace = "0s"
log_level = "warn"

[probe.nginx]
type = "http"
url = "http://127.0.0.1:$BENCH_NGINX_PORT/"
$timing
$watch

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db1)"
replication_required = true
$timing

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

# bench_start_agent CONFIG: starts rsagent, waits for its first answer of
# any kind; sets AGENT_PID and AGENT_FIRST_ANSWER_MS (start to first answer).
bench_start_agent() {
  local t0 seen
  t0=$(now_ns)
  start_bg "$BENCH_NS" "$TMP/agent.log" "$RSAGENT" run -c "$1"
  AGENT_PID=$BG_PID
  seen=$(ip netns exec "$BENCH_NS" "$BENCH_BIN/rsagent-bench-watch" \
    --target "127.0.0.1:$BENCH_AGENT_PORT" --until any --interval-ms 1 --timeout-s 10) ||
    fail "rsagent did not answer: $(tail -5 "$TMP/agent.log")"
  AGENT_FIRST_ANSWER_MS=$(awk -v a="$(kv "$seen" seen_ns)" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1e6 }')
}

bench_stop_agent() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
}

bench_wait_healthy() {  # [SECONDS]
  wait_until "${1:-30}" http_is "$BENCH_NS" "http://127.0.0.1:$BENCH_AGENT_PORT/health" 200
}
