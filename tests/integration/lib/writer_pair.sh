# A MariaDB master-master pair whose agents decide the writer ([pair]),
# behind a DR director stand-in that follows them, with a client that writes
# through the VIP (source after common.sh, netns.sh, mariadb.sh).
#
#   wp_require                  a test's requirements (SKIP without MariaDB), make_tmp
#   wp_setup FENCE              switch, director, client, db a (.21) and b (.22),
#                               the pair replicating, both agents, the director
#   wp_agent_start X / wp_agent_kill X      the agent of node X (a or b)
#   wp_health X                 200 or 503 (or 000) of X's /health/db-writer
#   wp_writer_count             how many agents answer 200 now
#   wp_wait_one_writer SECONDS [NODE]  until exactly one (NODE) answers 200; sets WP_WRITER
#   wp_cut X Y [PORT]           drop traffic between X and Y (only PORT if given)
#   wp_heal X Y [PORT]          undo it
#   wp_client_start NAME / wp_client_stop NAME   the writing client
#   wp_check NAME...            the invariants over the clients' logs
#
# Addresses: director 192.168.1.2, client .50, a .21, b .22, VIP_DB .101.
# The director routes each new connection (SYN) to the node whose agent
# answers 200 for db-writer (the first if both do, logged as BOTH);
# established connections stay where they began, as IPVS keeps them.

WP_VIP=192.168.1.101
declare -gA WP_IP=([a]=192.168.1.21 [b]=192.168.1.22)
declare -gA WP_AGENT_PID=()
WP_PYTHON=/usr/bin/python3

# What a pair test needs (root, MariaDB or SKIP, pymysql), then its TMP.
wp_require() {
  require_root
  command -v mariadbd >/dev/null || { log "SKIP: no mariadbd"; exit 77; }
  require_cmd mariadb mariadb-install-db curl ip nft
  "$WP_PYTHON" -c 'import pymysql' 2>/dev/null || fail "no python3-pymysql (run scripts/install-deps.sh)"
  make_tmp
}

wp_peer() { [[ $1 == a ]] && echo b || echo a; }

_wp_agent_config() {  # X FENCE
  local x="$1" peer
  peer=$(wp_peer "$x")
  cat >"$TMP/agent-$x.toml" <<TOML
[agent]
listen = "0.0.0.0:9480"
allow = ["127.0.0.0/8", "192.168.1.0/24"]
state_dir = "$TMP/state-$x"
control_socket = "$TMP/control-$x.sock"
shutdown_grace = "0s"

[vip]
addresses = ["$WP_VIP"]

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock "$x")"
credentials = "$TMP/$x.cnf"
replication_required = true
interval = "500ms"
timeout = "400ms"
rise = 2
fall = 1

[service.db-writer]
vip = "$WP_VIP"
port = 3306
probes = ["mysql"]
role = "writer"

[pair]
service = "db-writer"
peer_mysql = "${WP_IP[$peer]}:3306"
peer_agent = "${WP_IP[$peer]}:9480"
interval = "500ms"
timeout = "400ms"
fence = $2
switchover_drain = "1s"
switchover_timeout = "15s"
TOML
}

wp_agent_start() {
  local x="$1"
  start_bg "${LAB_NS[$x]}" "$TMP/agent-$x.log.$((++WP_AGENT_STARTS))" "$RSAGENT" run -c "$TMP/agent-$x.toml"
  WP_AGENT_PID[$x]=$BG_PID
}

wp_agent_kill() {
  kill -9 "${WP_AGENT_PID[$1]}" 2>/dev/null || true
  wait "${WP_AGENT_PID[$1]}" 2>/dev/null || true
}

wp_health() { http_code "${LAB_NS[dir]}" "http://${WP_IP[$1]}:9480/health/db-writer"; }

wp_writer_count() {
  local n=0 x
  for x in a b; do [[ $(wp_health "$x") == 200 ]] && n=$((n + 1)); done
  echo "$n"
}

# Exactly one 200 (NODE's, if given), seen twice in a row 300 ms apart.
_wp_one_writer() {  # [NODE]
  local x w=""
  for x in a b; do
    if [[ $(wp_health "$x") == 200 ]]; then
      [[ -n $w ]] && return 1
      w=$x
    fi
  done
  [[ -n $w && ( -z ${1:-} || $w == "${1:-}" ) ]] || return 1
  sleep 0.3
  [[ $(wp_health "$w") == 200 && $(wp_health "$(wp_peer "$w")") != 200 ]] || return 1
  WP_WRITER=$w
}

wp_wait_one_writer() {  # SECONDS [NODE]
  wait_until "$1" _wp_one_writer "${2:-}"
}

wp_reason() {  # X: the writer service's reason from /status
  ip netns exec "${LAB_NS[dir]}" curl -s -m 2 "http://${WP_IP[$1]}:9480/status" |
    "$WP_PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print([s["reason"] for s in d["services"] if s["name"]=="db-writer"][0])' 2>/dev/null || echo "(no answer)"
}

# nftables in X's namespace: drop everything to and from Y's address (or only
# its PORT in either direction).
wp_cut() {  # X Y [PORT]
  local x="$1" y="$2" port="${3:-}" ns rule_in rule_out
  ns="${LAB_NS[$x]}"
  ip netns exec "$ns" nft add table inet wp_cut 2>/dev/null || true
  ip netns exec "$ns" nft 'add chain inet wp_cut in { type filter hook input priority 0; }'
  ip netns exec "$ns" nft 'add chain inet wp_cut out { type filter hook output priority 0; }'
  if [[ -n $port ]]; then
    rule_in="ip saddr ${WP_IP[$y]} tcp dport $port drop"
    ip netns exec "$ns" nft add rule inet wp_cut in "ip saddr ${WP_IP[$y]} tcp sport $port drop"
    ip netns exec "$ns" nft add rule inet wp_cut in "$rule_in"
    rule_out="ip daddr ${WP_IP[$y]} tcp dport $port drop"
    ip netns exec "$ns" nft add rule inet wp_cut out "ip daddr ${WP_IP[$y]} tcp sport $port drop"
    ip netns exec "$ns" nft add rule inet wp_cut out "$rule_out"
  else
    ip netns exec "$ns" nft add rule inet wp_cut in "ip saddr ${WP_IP[$y]} drop"
    ip netns exec "$ns" nft add rule inet wp_cut out "ip daddr ${WP_IP[$y]} drop"
  fi
}

wp_heal() {  # X: every cut of X
  ip netns exec "${LAB_NS[$1]}" nft delete table inet wp_cut 2>/dev/null || true
}

_wp_director() {
  local a_mac="${LAB_MAC[a]}" b_mac="${LAB_MAC[b]}" d="${LAB_MAC[dir]}"
  lab_exec dir nft -f - <<NFT
table netdev dr {
  set a_flows { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 120s; }
  set b_flows { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 120s; }
  chain to_a {
    add @a_flows { ip saddr . tcp sport }
    ether saddr set $d ether daddr set $a_mac fwd to "lp0"
  }
  chain to_b {
    add @b_flows { ip saddr . tcp sport }
    ether saddr set $d ether daddr set $b_mac fwd to "lp0"
  }
  chain pick { drop; }
  chain ingress {
    type filter hook ingress device "lp0" priority 0;
    meta pkttype host ip daddr $WP_VIP tcp dport 3306 jump route
  }
  chain route {
    tcp flags & (syn | ack) == syn jump new_flow
    ip saddr . tcp sport @a_flows jump to_a
    ip saddr . tcp sport @b_flows jump to_b
    drop
  }
  # A SYN starts a new connection even when its source port was used
  # before (ports come round again within the flows' timeout): like IPVS
  # it is scheduled anew, not sent where the old connection went.
  chain new_flow {
    delete @a_flows { ip saddr . tcp sport }
    delete @b_flows { ip saddr . tcp sport }
    jump pick
  }
}
NFT
  cat >"$TMP/director.sh" <<'SH'
# Polls both agents every 100 ms and points new connections at the writer.
stop="$1" out="$2" a="$3" b="$4"
state=""
while [[ ! -e $stop ]]; do
  ca=$(curl -s -o /dev/null -m 0.4 -w '%{http_code}' "http://$a:9480/health/db-writer")
  cb=$(curl -s -o /dev/null -m 0.4 -w '%{http_code}' "http://$b:9480/health/db-writer")
  if [[ $ca == 200 ]]; then now=a; elif [[ $cb == 200 ]]; then now=b; else now=none; fi
  [[ $ca == 200 && $cb == 200 ]] && now=BOTH
  if [[ $now != "$state" ]]; then
    case "$now" in
      a|BOTH) rule='jump to_a' ;;
      b) rule='jump to_b' ;;
      *) rule='drop' ;;
    esac
    printf 'flush chain netdev dr pick\nadd rule netdev dr pick %s\n' "$rule" | nft -f -
    echo "$(($(date +%s%N) / 1000000)) $now" >>"$out"
    state=$now
  fi
  sleep 0.1
done
SH
  start_bg "${LAB_NS[dir]}" "$TMP/director.out" bash "$TMP/director.sh" "$TMP/director.stop" \
    "$TMP/director.log" "${WP_IP[a]}" "${WP_IP[b]}"
  on_exit "touch '$TMP/director.stop'"
}

wp_setup() {  # FENCE (true|false)
  WP_AGENT_STARTS=0
  lab_switch
  lab_host dir 192.168.1.2
  lab_host client 192.168.1.50
  lab_host a "${WP_IP[a]}"
  lab_host b "${WP_IP[b]}"
  ip -n "${LAB_NS[dir]}" addr add "$WP_VIP/24" dev lp0
  mdb_start a "${LAB_NS[a]}" 1 0.0.0.0
  mdb_start b "${LAB_NS[b]}" 2 0.0.0.0
  MDB_ADDR[a]=${WP_IP[a]}
  MDB_ADDR[b]=${WP_IP[b]}
  mdb_pair a b
  local x
  for x in a b; do
    # The probe user: replica status and read_only locally (READ_ONLY ADMIN
    # for the fence and the switchover), and a plain login from the peer.
    mdb "$x" "SET sql_log_bin=0;
      CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
      GRANT SLAVE MONITOR, READ_ONLY ADMIN ON *.* TO 'rsagent'@'localhost';
      CREATE USER 'rsagent'@'192.168.1.%' IDENTIFIED BY 'probe-pw';
      CREATE USER 'app'@'192.168.1.%' IDENTIFIED BY 'app-pw';
      GRANT SELECT, INSERT ON t.* TO 'app'@'192.168.1.%';"
    printf '[client]\nuser = rsagent\npassword = probe-pw\n' >"$TMP/$x.cnf"
    chmod 600 "$TMP/$x.cnf"
    mkdir -p "$TMP/state-$x"
    _wp_agent_config "$x" "$1"
  done
  mdb a "CREATE DATABASE t; CREATE TABLE t.w (k INT PRIMARY KEY, srv INT NOT NULL,
    ts TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))"
  wait_until 10 [ "$(mdb_value b "SELECT COUNT(*) FROM t.w")" = 0 ] || fail "t.w did not replicate"
  for x in a b; do wp_agent_start "$x"; done
  _wp_director
}

# The client: two threads writing through the VIP (tests/integration/mysql/writer_client.py).
wp_client_start() {  # NAME [SECONDS]
  rm -f "$TMP/client-$1.stop"
  start_bg "${LAB_NS[client]}" "$TMP/client-$1.err" "$WP_PYTHON" \
    "$RSAGENT_SOURCE_DIR/tests/integration/mysql/writer_client.py" \
    --host "$WP_VIP" --log "$TMP/client-$1.log" --stop "$TMP/client-$1.stop" --k-base "${WP_K_BASE:-0}" \
    --seconds "${2:-600}"
  WP_CLIENT_PID=$BG_PID
}

wp_client_stop() {  # NAME
  touch "$TMP/client-$1.stop"
  wait "$WP_CLIENT_PID" 2>/dev/null || true
}

# The invariants over client NAME's log: prints one line of counts; exit 1 on
# a violation. Waits (bounded) for both servers to hold the same rows first.
wp_check() {  # NAME [SINCE_K] [LABEL]
  local x
  wait_until 30 _wp_converged || log "servers did not converge in 30 s: checking anyway"
  for x in a b; do mdb "$x" "SELECT k FROM t.w" >"$TMP/rows-$x.txt"; done
  "$WP_PYTHON" "$RSAGENT_SOURCE_DIR/tests/integration/mysql/writer_check.py" \
    --log "$TMP/client-$1.log" --rows "$TMP/rows-a.txt" "$TMP/rows-b.txt" \
    --since-k "${2:-0}" --label "${3:-}"
}

_wp_converged() {
  [[ $(mdb_value a "SELECT COUNT(*), COALESCE(SUM(k), 0) FROM t.w") == \
     "$(mdb_value b "SELECT COUNT(*), COALESCE(SUM(k), 0) FROM t.w")" ]]
}
