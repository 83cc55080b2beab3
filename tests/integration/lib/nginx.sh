# A real nginx with every path of its own.
#
# write_nginx_conf DIR SERVER [HTTP_EXTRA]
#   SERVER is the body of the one server block, listen lines included;
#   HTTP_EXTRA is more http-level config (upstreams). Tunables, from the
#   environment: NGINX_WORKERS (1), NGINX_CONNECTIONS (256),
#   NGINX_ACCESS_LOG (off).
write_nginx_conf() {
  local dir="$1" server="$2" http_extra="${3:-}"
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes ${NGINX_WORKERS:-1};
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections ${NGINX_CONNECTIONS:-256}; }
http {
  access_log ${NGINX_ACCESS_LOG:-off};
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  $http_extra
  server {
    $server
  }
}
CONF
}

# start_nginx NS DIR LISTEN [LOCATIONS] -> sets NGINX_PID (the master) and
# waits until it answers on http://LISTEN/ (LISTEN is IP:PORT). LOCATIONS
# defaults to `location / { return 200 "ok\n"; }`.
start_nginx() {
  local ns="$1" dir="$2" listen="$3"
  local locations="${4:-location / { return 200 \"ok\\n\"; \}}"
  write_nginx_conf "$dir" "listen $listen; $locations"
  start_bg "$ns" "$dir/stdout" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  NGINX_PID=$BG_PID
  wait_until 5 http_is "$ns" "http://$listen/" 200 ||
    fail "nginx did not start: $(cat "$dir/error.log")"
}

# kill_nginx: SIGKILL to the master and its workers. Killing only the master
# would leave the workers serving on the inherited listening socket.
# NGINX_KILLED_US: the wall-clock instant of the kill in µs (bash's
# EPOCHREALTIME, no fork between it and the kill), for kill -> DOWN latencies.
kill_nginx() {
  local workers
  workers=$(pgrep -P "$NGINX_PID" || true)
  NGINX_KILLED_US=${EPOCHREALTIME/./}
  kill -9 "$NGINX_PID" $workers 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
}
