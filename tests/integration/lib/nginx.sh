# A real nginx with every path of its own.
#
# write_nginx_conf DIR LISTEN [LOCATIONS] needs nothing else (scripts/demo.sh
# uses it too); start_nginx and kill_nginx need common.sh sourced first.

# write_nginx_conf DIR LISTEN [LOCATIONS]
#   LISTEN e.g. "127.0.0.1:8080" or "80"; LOCATIONS is nginx config placed in
#   the server block (default: `location / { return 200 "ok\n"; }`).
write_nginx_conf() {
  local dir="$1" listen="$2"
  local locations="${3:-location / { return 200 \"ok\\n\"; \}}"
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen $listen;
    $locations
  }
}
CONF
}

# start_nginx NS DIR LISTEN [LOCATIONS] -> sets NGINX_PID (the master) and
# waits until it answers on http://LISTEN/ (LISTEN must then be IP:PORT).
start_nginx() {
  local ns="$1" dir="$2" listen="$3"
  write_nginx_conf "$dir" "$listen" "${4:-}"
  start_bg "$ns" "$dir/stdout" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  NGINX_PID=$BG_PID
  wait_until 5 http_is "$ns" "http://$listen/" 200 ||
    fail "nginx did not start: $(cat "$dir/error.log")"
}

# kill_nginx: SIGKILL to the master and its workers. Killing only the master
# would leave the workers serving on the inherited listening socket.
kill_nginx() {
  local workers
  workers=$(pgrep -P "$NGINX_PID" || true)
  kill -9 "$NGINX_PID" $workers 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
}
