# The seed cluster inside the lab VM (source after lib/{common,netns,mariadb}.sh).
#
#   client .50 ── br0 ── A .2, B .3     directors: stock keepalived, VRRP + IPVS DR
#                   ├── C .10, D .11    web: nginx → app tier, rsagent
#                   ├── E .20, F .21    db: MariaDB master-master, GTID, semi-sync, rsagent
#                   ├── G .30, H .31    app tier: python3 http.server (why: tests/lab/README.md)
#                   └── W .4            keepalived checkers only (-C), during the weights
#                                       drill: MISC_CHECK rsagent-check misc_dynamic for C
#                                       and D, in an IPVS table of its own (no traffic)
#
# Every daemon runs in its host's namespace with its files under $TMP; the
# bridge has its own namespace and the VM has no NIC, so nothing leaves.
# Configs come from /lab/conf (the project's conf/examples) with only paths
# and the app-tier URL changed (lab_agent_config).

VIP_WEB=192.168.1.100
VIP_DB=192.168.1.101
declare -A IP=([client]=192.168.1.50 [A]=192.168.1.2 [B]=192.168.1.3 [W]=192.168.1.4 [C]=192.168.1.10
  [D]=192.168.1.11 [E]=192.168.1.20 [F]=192.168.1.21 [G]=192.168.1.30 [H]=192.168.1.31)
declare -A APP_PID WEB_PID AGENT_PID KA_PID
# keepalived's configs name the directors' interface eth0.
LAB_IFACE=eth0

lab_topology() {
  lab_switch
  local h
  for h in client A B W C D E F G H; do lab_host "$h" "${IP[$h]}"; done
}

start_app() {  # NODE: the app tier; its page names the node that served it
  local n="$1" dir="$TMP/app-$1"
  mkdir -p "$dir/www"
  echo "app $n" >"$dir/www/index.html"
  start_bg "${LAB_NS[$n]}" "$dir/log" python3 -m http.server 8080 --bind 0.0.0.0 \
    --directory "$dir/www"
  APP_PID[$n]=$BG_PID
  wait_until 30 http_is "${LAB_NS[$n]}" "http://${IP[$n]}:8080/" 200 || fail "app $n did not start"
}

kill_app() { kill -9 "${APP_PID[$1]}"; wait "${APP_PID[$1]}" 2>/dev/null || true; }

# nginx on a web node: / goes to the app tier (a dead app node is skipped
# and the request retried on the other), /nginx-health is nginx alone.
start_web() {  # NODE
  local n="$1" dir="$TMP/web-$1"
  NGINX_CONNECTIONS=512 write_nginx_conf "$dir" "
    listen 0.0.0.0:80;
    add_header X-Web $n always;
    location = /nginx-health { return 200 \"ok\\n\"; }
    location / {
      proxy_pass http://app;
      proxy_connect_timeout 1s;
      proxy_read_timeout 3s;
      proxy_next_upstream error timeout http_502 http_503;
    }" "
  upstream app {
    server ${IP[G]}:8080 max_fails=1 fail_timeout=5s;
    server ${IP[H]}:8080 max_fails=1 fail_timeout=5s;
  }"
  start_bg "${LAB_NS[$n]}" "$dir/stdout" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  WEB_PID[$n]=$BG_PID
  wait_until 20 http_is "${LAB_NS[$n]}" "http://127.0.0.1/nginx-health" 200 ||
    fail "nginx $n did not start: $(cat "$dir/error.log")"
}

kill_web() { NGINX_PID="${WEB_PID[$1]}" kill_nginx; }

start_dbs() {
  # A director failover orphans the connections in flight: the client's
  # next packets go to the new director, which has no flow for them, and
  # the real server keeps its side ESTABLISHED and idle until wait_timeout
  # (8 h by default) — long enough to hold every later switchover (the lab
  # saw one from director_A_cut 108 s later). 30 s: every lab client is
  # done with its connection in 15 s; the agents use theirs every second.
  MDB_EXTRA_CNF="wait_timeout = 30"
  mdb_start E "${LAB_NS[E]}" 1 0.0.0.0
  mdb_start F "${LAB_NS[F]}" 2 0.0.0.0
  # They listen on every address (the VIP too, for DR) but replicate from
  # each other's own address.
  MDB_ADDR[E]=${IP[E]}
  MDB_ADDR[F]=${IP[F]}
  mdb_pair E F
  # The client's account and table, made on E and replicated to F.
  mdb E "CREATE DATABASE lab;
    CREATE TABLE lab.w (seq INT PRIMARY KEY, srv INT NOT NULL, seen INT NOT NULL,
      t TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3));
    CREATE USER 'lab'@'%' IDENTIFIED BY 'labpw';
    GRANT ALL ON *.* TO 'lab'@'%';"
  wait_until 20 mdb F "SELECT 1 FROM lab.w LIMIT 0" || fail "lab.w did not reach F"
}

# The example config with what must differ in the lab: every path, and the
# app tier (remote nodes behind nginx here, not a Tomcat on 127.0.0.1:8080).
# The seed's drills run without the example's [pair] (the last section):
# they rehearse the seed's fo failover. With PAIR (the pair's drills, after
# the seed's) the [pair] stays, the probe logs in with a credentials file
# (the peer is read over TCP), and F's copy names E as its peer.
lab_agent_config() {  # NODE EXAMPLE [PAIR] -> $TMP/agent-NODE/rsagent.toml
  local n="$1" dir="$TMP/agent-$1" pair="${3:-}" creds keep_pair=(-e '/^\[pair\]/,$d') peer=()
  mkdir -p "$dir/state"
  creds=(-e "/^credentials = /d")
  if [[ -n $pair ]]; then
    # Rounds of 2 s reading for up to 1.5 s: under TCG the example's 400 ms
    # for a round's five queries times out, and a timeout reads as "hung".
    creds=(-e "s|^credentials = .*|credentials = \"$dir/mysql.cnf\"|"
      -e 's|^interval = "500ms".*|interval = "2s"|' -e 's|^timeout = "400ms".*|timeout = "1500ms"|')
    keep_pair=()
    [[ $n == F ]] && peer=(-e "s/${IP[F]//./\\.}\\b/${IP[E]}/g")
    printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$dir/mysql.cnf"
    chmod 600 "$dir/mysql.cnf"
  fi
  sed -e "s|^state_dir = .*|state_dir = \"$dir/state\"|" \
    -e "s|^control_socket = .*|control_socket = \"$dir/control.sock\"|" \
    -e "s|^\[agent\]|[agent]\nstate_dir = \"$dir/state\"\ncontrol_socket = \"$dir/control.sock\"|" \
    -e "s|^socket = .*|socket = \"$(mdb_sock "$n")\"|" \
    "${creds[@]}" \
    -e 's|^url = "http://127.0.0.1/"|url = "http://127.0.0.1/nginx-health"|' \
    -e 's|^url = "http://127.0.0.1:8080/"|url = "http://127.0.0.1/"|' \
    -e 's|^targets = \["127.0.0.1:80", "127.0.0.1:443"\]|targets = ["127.0.0.1:80"]|' \
    "${keep_pair[@]}" "${peer[@]}" \
    "$2" | awk '!(/^(state_dir|control_socket) = / && seen[$1]++)' >"$dir/rsagent.toml"
  # An example that changed under these edits must not slip through half-adapted.
  if sed 's/#.*//' "$dir/rsagent.toml" | grep -nE '/var/lib/|/run/|:443|:8080|^credentials = "/etc'; then
    fail "lab_agent_config: $2 changed; adapt the edits in tests/lab/guest/cluster.sh"
  fi
  if [[ -n $pair ]] && ! grep -q "^peer_agent = \"${IP[$(pair_peer "$n")]}:9480\"" "$dir/rsagent.toml"; then
    fail "lab_agent_config: $2's [pair] does not name the peer of $n: adapt the edits"
  fi
}

pair_peer() { [[ $1 == E ]] && echo F || echo E; }

start_agent() {  # NODE EXAMPLE SERVICE [PAIR]
  lab_agent_config "$1" "$2" "${4:-}"
  launch_agent "$1" "$3"
}

launch_agent() {  # NODE SERVICE: run $TMP/agent-NODE/rsagent.toml, wait for SERVICE UP
  local n="$1" cfg="$TMP/agent-$1/rsagent.toml"
  "$RSAGENT" check-config -c "$cfg" >/dev/null || fail "rsagent check-config $cfg"
  start_bg "${LAB_NS[$n]}" "$TMP/agent-$n/log" "$RSAGENT" run -c "$cfg"
  AGENT_PID[$n]=$BG_PID
  wait_until 60 http_is "${LAB_NS[$n]}" "http://127.0.0.1:9480/health/$2" 200 ||
    fail "rsagent on $n: /health/$2 not 200: $(tail -5 "$TMP/agent-$n/log")"
  log "rsagent on $n: /health/$2 200 after ${WAITED_MS} ms"
}

# web-node.toml's commented second chance section (docs/second-chance.md),
# uncommented, naming the other web node with its lab MAC. heartbeat_timeout
# 3 s instead of 1 s: under TCG an agent thread can wait a second for a CPU,
# and a heartbeat aging out makes the program step aside (as after kill -9).
lab_second_chance_config() {  # NODE PEER -> appended to $TMP/agent-NODE/rsagent.toml
  local n="$1" p="$2" cfg="$TMP/agent-$1/rsagent.toml"
  sed -n '/^# \[peer\.D\]/,/^# services = /p' /lab/conf/web-node.toml |
    sed -e 's/^# \{0,1\}//' -e 's/ *#.*//' \
      -e "s/^\[peer\.D\]/[peer.$p]/" -e "s/${IP[D]//./\\.}:9480/${IP[$p]}:9480/" \
      -e "s/^mac = .*/mac = \"${LAB_MAC[$p]}\"/" \
      -e "s/^interface = .*/interface = \"$LAB_IFACE\"/" >>"$cfg"
  echo 'heartbeat_timeout = "3s"' >>"$cfg"
  grep -qx "agent = \"${IP[$p]}:9480\"" "$cfg" && grep -qx '\[second_chance\]' "$cfg" &&
    grep -qx 'services = \["web"\]' "$cfg" ||
    fail "lab_second_chance_config: web-node.toml's second chance section changed; adapt the edits"
}

# The web node's agent restarted with second chance (SIGTERM: it answers
# DOWN for shutdown_grace first, so the director drains it without a failure).
restart_agent_second_chance() {  # NODE PEER
  local n="$1"
  kill -TERM "${AGENT_PID[$n]}"
  wait "${AGENT_PID[$n]}" 2>/dev/null || true
  lab_agent_config "$n" /lab/conf/web-node.toml
  lab_second_chance_config "$n" "$2"
  launch_agent "$n" web
}

agent_cmd() {  # NODE ARGS...: an admin command against NODE's agent
  local n="$1"
  shift
  lab_exec "$n" "$RSAGENT" "$@" -c "$TMP/agent-$n/rsagent.toml"
}

start_director() {  # NODE CONFIG [OPTION]: OPTION e.g. -C (checkers only, no VRRP)
  local n="$1" dir="$TMP/ka-$1"
  mkdir -p "$dir"
  # In its namespace: -t checks that the interfaces exist.
  lab_exec "$n" keepalived -t -f "$2" >"$dir/check.log" 2>&1 ||
    fail "keepalived -t $2: $(cat "$dir/check.log")"
  # In DR the director sees the client's FIN but never the server's, so a
  # closed connection stays in its table as FIN_WAIT for 2 minutes; a new
  # connection that happens to reuse that client port would follow the old
  # entry to its real server even at weight 0, and a dead one refuses it
  # (seen in the MySQL drill). This reschedules such a connection instead.
  lab_exec "$n" sysctl -qw net.ipv4.vs.expire_nodest_conn=1
  start_bg "${LAB_NS[$n]}" "$dir/log" keepalived -n -l -D ${3:-} -f "$2" \
    -p "$dir/keepalived.pid" -r "$dir/vrrp.pid" -c "$dir/checkers.pid"
  KA_PID[$n]=$BG_PID
}

# ipvs_weight DIRECTOR RS_IP PORT -> the real server's weight, empty if absent.
ipvs_weight() {
  lab_exec "$1" ipvsadm -Ln 2>/dev/null | awk -v rs="$2:$3" '$1 == "->" && $2 == rs {print $4}'
}

owns_vip() {  # DIRECTOR VIP
  lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q " $2/32 "
}

lab_cluster_up() {
  lab_topology
  start_app G
  start_app H
  start_web C
  start_web D
  start_dbs
  start_agent C /lab/conf/web-node.toml web
  start_agent D /lab/conf/web-node.toml web
  start_agent E /lab/conf/db-node.toml db-writer
  start_agent F /lab/conf/db-node.toml db-writer
  start_director A /lab/conf/keepalived-director-a.conf
  start_director B /lab/conf/keepalived-director-b.conf
  wait_until 60 owns_vip A "$VIP_WEB" || fail "director A did not take VIP_WEB"
  wait_until 30 owns_vip A "$VIP_DB" || fail "director A did not take VIP_DB"
  wait_until 60 cluster_healthy A || fail "IPVS on A: $(lab_exec A ipvsadm -Ln)"
  wait_until 60 cluster_healthy B || fail "IPVS on B: $(lab_exec B ipvsadm -Ln)"
  log "cluster up: $(lab_exec A ipvsadm -Ln | tr -s ' \n' ' ')"
}

# Every real server in rotation with its configured weight.
cluster_healthy() {  # DIRECTOR
  [[ $(ipvs_weight "$1" "${IP[C]}" 80) == 1 && $(ipvs_weight "$1" "${IP[D]}" 80) == 1 &&
     $(ipvs_weight "$1" "${IP[E]}" 3306) == 100 && $(ipvs_weight "$1" "${IP[F]}" 3306) == 50 ]]
}
