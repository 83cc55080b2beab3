#!/bin/bash
# The seed's fault table, run against the live cluster inside the lab VM.
#
# Brings the cluster up (cluster.sh), starts the client's steady load (HTTP
# through VIP_WEB, SQL writes through VIP_DB), then runs each drill: steady
# load, fault, wait (bounded) for the director to act, hold, restore, wait
# (bounded) for the cluster to be whole again. Writes to $LAB_OUT:
#   drills.csv   name,t_begin,t_fault,t_act,t_restore,t_end,acted,recovered
#                (times in ms; acted 1/0, empty when no director is meant to
#                act; recovered 1/0)
#   http.csv     load_http.py's requests; sql.csv load_sql.sh's writes
#   rows-E.csv / rows-F.csv: seq,srv,seen at the end; logs/: every daemon's log
#   metrics.om.gz  the four agents' /metrics every 2 s (scrape_metrics.py)
#   kills.csv      drill,t_kill (ms) of each nginx kill; status-C-DRILL.json and
#                  second-chance-C-DRILL.txt: C's /status and second chance
#                  metrics at the end of that drill's hold
#   weights-C.csv  t,weight: C's weight in W's IPVS table at each change (ipvs_weights.py)
# The verdicts are computed from these on the host (tests/lab/report.py).
# The exit code is 0 when the cluster came up and every drill ran.
LAB_OUT="${LAB_OUT:-/lab/out}"
source /lab/lib/common.sh
source /lab/lib/netns.sh
source /lab/lib/nginx.sh
source /lab/lib/mariadb.sh
source /lab/guest/cluster.sh

make_tmp
mkdir -p "$LAB_OUT/logs"
# Registered before any daemon: runs after they are killed, before $TMP goes.
# Every daemon's log (keepalived, rsagent, nginx, MariaDB, loads), by path.
save_logs() {
  (cd "$TMP" && find . -name '*.log' -o -name log -o -name stdout | tar -cf - -T -) |
    tar -xf - -C "$LAB_OUT/logs"
}
on_exit save_logs
STOP="$TMP/stop"
STEADY_S=3
HOLD_S=5

drill() {  # NAME FAULT ACTED RESTORE RECOVERED: each a command
  local name="$1" fault="$2" acted="$3" restore="$4" whole="$5"
  local t_begin t_fault t_act="" t_restore t_end ok=1 recovered=1
  log "drill $name"
  t_begin=$(now_ms)
  sleep "$STEADY_S"
  $fault
  # The fault is in effect once its command returned: under TCG starting a
  # client (rsagent drain) or a server (restart) takes seconds by itself.
  t_fault=$(now_ms)
  if [[ $acted == - ]]; then
    ok=""
  elif poll_until 30 $acted; then
    t_act=$(now_ms)
    log "  $name: director acted after $((t_act - t_fault)) ms"
  else
    ok=0
    log "  $name: director did NOT act within 30 s"
  fi
  sleep "$HOLD_S"
  # Which real server each recent client connection went to (a failed
  # request's entry outlives the drill by a minute): for after-the-fact diagnosis.
  lab_exec A ipvsadm -Lnc >"$LAB_OUT/logs/ipvs-conns-A-$name.txt" 2>&1 || true
  t_restore=$(now_ms)
  $restore
  if ! poll_until 60 $whole; then
    recovered=0
    log "  $name: cluster not whole again within 60 s"
  fi
  sleep "$STEADY_S"
  t_end=$(now_ms)
  echo "$name,$t_begin,$t_fault,$t_act,$t_restore,$t_end,$ok,$recovered" >>"$LAB_OUT/drills.csv"
}

# wait_until, every 200 ms: each poll forks ipvsadm, and under TCG a tighter
# loop takes CPU from the cluster it is watching.
poll_until() {  # SECONDS CMD...
  local deadline=$((SECONDS + $1 + 1))
  shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

weight_is() { [[ $(ipvs_weight A "$1" "$2") == "$3" ]]; }

# 1. nginx on C killed -> C evicted, traffic on D.
fault_nginx_c() { kill_web C; }
acted_nginx_c() { weight_is "${IP[C]}" 80 0; }
restore_nginx_c() { agent_c_after_kill nginx_C_killed; start_web C; }

# What C's agent says at the end of a kill drill's hold, for the report's
# kill -> DOWN latency (the service's `since` against the kill's instant) and
# the connections and packets handed over (its /metrics).
agent_c_after_kill() {  # DRILL
  echo "$1,$((NGINX_KILLED_US / 1000))" >>"$LAB_OUT/kills.csv"
  lab_exec C curl -s -m 5 http://127.0.0.1:9480/status >"$LAB_OUT/status-C-$1.json" || true
  lab_exec C curl -s -m 5 http://127.0.0.1:9480/metrics >"$TMP/metrics-C" || true
  grep -E '^rsagent_(second_chance_|peer_up)' "$TMP/metrics-C" >"$LAB_OUT/second-chance-C-$1.txt" ||
    true
}

# 7. Drill 1 again with second chance on C and D (docs/second-chance.md):
# what IPVS still sends to C until its next check is handed to D at L2.
# Both agents restart with web-node.toml's second chance section, one at a
# time (each drains first: no failed request, the pool never empty). Only
# the web pool is waited for, here and at the drill's restore: this drill
# touches nothing else, and under TCG the MariaDB nodes' flapping probes
# could hold "the whole cluster" for a minute.
web_whole() { weight_is "${IP[C]}" 80 1 && weight_is "${IP[D]}" 80 1; }
second_chance_on() {
  local n
  for n in C D; do
    restart_agent_second_chance "$n" "$([[ $n == C ]] && echo D || echo C)"
    poll_until 60 web_whole || fail "second chance: $n not back in rotation: $(lab_exec A ipvsadm -Ln)"
  done
  log "second chance on C and D: $(lab_exec C tc filter show dev "$LAB_IFACE" ingress | head -n 2 |
    tr -s ' \n' ' ')"
}
restore_nginx_c_second_chance() {
  agent_c_after_kill nginx_C_killed_second_chance
  lab_exec D curl -s -m 5 http://127.0.0.1:9480/status >"$LAB_OUT/logs/status-D-second-chance.json" ||
    true
  start_web C
}

# 2. An app node killed -> nginx stops using it (nginx acts, not the director).
fault_app_g() { kill_app G; }
restore_app_g() { start_app G; }
# nginx retries G only after its fail_timeout; wait until G serves again.
app_g_serves() { tail -n 5 "$LAB_OUT/http.csv" | grep -q ',1,[CD],G$'; }

# 3. Planned drain of C -> zero failed requests.
fault_drain_c() { agent_cmd C drain web >/dev/null; }
restore_drain_c() { agent_cmd C undrain web >/dev/null; }

# 4. MySQL on E killed -> E evicted, F takes the writes. E stays down for 5.
fault_mysql_e() { mdb_kill E; }
acted_mysql_e() { weight_is "${IP[E]}" 3306 0 && weight_is "${IP[F]}" 3306 50; }
e_down() { weight_is "${IP[E]}" 3306 0; }

# 5. E restarted -> back as the writer only once it has caught up with F.
fault_restart_e() { mdb_restart E; }
acted_restart_e() { weight_is "${IP[E]}" 3306 100; }

# 6. Director A cut off (its bridge port down: no goodbye) -> B takes both VIPs.
fault_cut_a() { ip -n "$LAB_SW" link set "p-A" down; }
acted_cut_a() { owns_vip B "$VIP_WEB" && owns_vip B "$VIP_DB"; }
restore_cut_a() { ip -n "$LAB_SW" link set "p-A" up; }
a_master_again() { owns_vip A "$VIP_WEB" && ! owns_vip B "$VIP_WEB" && ! owns_vip B "$VIP_DB"; }
a_healthy() { cluster_healthy A; }

# 7. Weights the real server sets: W, a third keepalived with checkers only
# (-C) and conf/examples/keepalived-web-misc-dynamic.conf as shipped
# (MISC_CHECK rsagent-check with misc_dynamic, an HTTP_GET beside it), runs
# for this drill only: its forked checks cost the emulated CPUs. In W's own
# IPVS table (no traffic goes through W) C's weight is 0 while C is drained
# (rsagent-check exits 2: alive at weight 0), then follows C's slow start
# (web-node.toml: 20 s) back to 100. ipvs_weights.py, in W's namespace,
# records every weight W's table shows (weights-C.csv); report.py judges.
WEIGHTS_CSV="$LAB_OUT/weights-C.csv"
start_weights_director() {
  start_director W /lab/conf/keepalived-web-misc-dynamic.conf -C
  start_bg "${LAB_NS[W]}" "$TMP/ipvs_weights.log" python3 /lab/guest/ipvs_weights.py \
    "${IP[C]}:80" "$WEIGHTS_CSV" "$TMP/stop-weights"
  WEIGHTS_PID=$BG_PID
  poll_until 60 c_weight_is 100 || log "W gave C no weight 100 in 60 s: $(lab_exec W ipvsadm -Ln)"
}
stop_weights_director() {
  touch "$TMP/stop-weights"
  wait "$WEIGHTS_PID" || log "ipvs_weights.py failed: $(tail -n 3 "$TMP/ipvs_weights.log")"
  kill "${KA_PID[W]}"
  wait "${KA_PID[W]}" 2>/dev/null || true
}
c_weight_is() { [[ $(tail -n 1 "$WEIGHTS_CSV" 2>/dev/null | cut -d, -f2) == "$1" ]]; }
fault_weights_c() { agent_cmd C drain web >/dev/null; }
acted_weights_c() { c_weight_is 0; }
restore_weights_c() { agent_cmd C undrain web >/dev/null; }
c_weight_full_again() { c_weight_is 100 && cluster_healthy A; }

nothing() { :; }

# The pair: E and F's agents with the example's [pair] decide the writer
# (docs/mysql.md "The pair: one writer"); the directors are unchanged.
# Its own table and client, which retries refused connections for 10 s
# like a pool (a handover has a moment without a writer, when IPVS refuses).
pair_up() {
  mdb E "CREATE TABLE lab.p (seq INT PRIMARY KEY, srv INT NOT NULL, seen INT NOT NULL,
      t TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3));
    CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
    GRANT SLAVE MONITOR, READ_ONLY ADMIN ON *.* TO 'rsagent'@'localhost';
    CREATE USER 'rsagent'@'192.168.1.%' IDENTIFIED BY 'probe-pw';"
  wait_until 20 mdb F "SELECT 1 FROM lab.p LIMIT 0" || fail "lab.p did not reach F"
  local n
  for n in E F; do
    kill -TERM "${AGENT_PID[$n]}"
    wait "${AGENT_PID[$n]}" 2>/dev/null || true
  done
  # Both start together: E (lower server_id, no earlier term) becomes the writer.
  for n in E F; do
    lab_agent_config "$n" /lab/conf/db-node.toml pair
    "$RSAGENT" check-config -c "$TMP/agent-$n/rsagent.toml" >/dev/null ||
      fail "rsagent check-config $TMP/agent-$n/rsagent.toml"
  done
  for n in E F; do
    start_bg "${LAB_NS[$n]}" "$TMP/agent-$n/pair.log" "$RSAGENT" run -c "$TMP/agent-$n/rsagent.toml"
    AGENT_PID[$n]=$BG_PID
  done
  poll_until 60 e_writer || fail "pair: E is not the one writer: $(lab_exec A ipvsadm -Ln)"
  log "pair up: E writer, F standby ($(pair_reason F))"
}

pair_reason() {  # NODE: the db-writer service's reason from its /status
  lab_exec "$1" curl -s -m 2 http://127.0.0.1:9480/status | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([s["reason"] for s in d["services"] if s["name"] == "db-writer"][0])' 2>/dev/null ||
    echo "(no answer)"
}

e_writer() { weight_is "${IP[E]}" 3306 100 && weight_is "${IP[F]}" 3306 0; }
f_writer() { weight_is "${IP[E]}" 3306 0 && weight_is "${IP[F]}" 3306 50; }

# 7. Planned switchover E -> F under load: 0 failed writes.
fault_switchover() {
  agent_cmd E switchover db-writer >"$LAB_OUT/pair-switchover.txt" 2>&1 || {
    log "  switchover failed: $(tail -n 1 "$LAB_OUT/pair-switchover.txt")"
    # What still held E: its side of the client connections, and A's view.
    lab_exec E ss -tnoie state all "( sport = :3306 )" >"$LAB_OUT/logs/switchover-E-ss.txt" 2>&1
    lab_exec A ipvsadm -Lnc >"$LAB_OUT/logs/switchover-A-conns.txt" 2>&1
  }
}

# 8. E returns while it cannot reach F (the issue's reproduction): E's mysqld
# killed, F takes writes E does not get, E's way to F cut (a blackhole route:
# E's packets to F go nowhere), E's mysqld restarted -> E stays out, F keeps
# writing; healed, E catches up and stays a standby (no failback).
fault_e_cut_off() {
  mdb_kill E
  sleep 3
  lab_exec E ip route add blackhole "${IP[F]}/32"
  mdb_restart E
}
restore_e_cut_off() {
  pair_reason E >"$LAB_OUT/pair-E-reason.txt"
  lab_exec E ip route del blackhole "${IP[F]}/32"
}
e_standby_of_f() { f_writer && pair_reason E | grep -q "peer ${IP[F]} is the writer"; }

pair_drills() {
  local stop="$TMP/stop-pair"
  pair_up
  start_bg "${LAB_NS[client]}" "$TMP/load_sql_pair.log" /lab/guest/load_sql.sh \
    "$VIP_DB" 4 1200 "$stop" "$LAB_OUT/sql-pair.csv" p 10
  local sql_pid=$BG_PID
  sleep 3
  drill pair_switchover_E_F fault_switchover f_writer nothing f_writer
  drill pair_E_returns_cut_off fault_e_cut_off f_writer restore_e_cut_off e_standby_of_f
  touch "$stop"
  wait "$sql_pid" || fail "the pair's load generator failed"
  wait_until 30 rows_converged p || log "E and F still differ (lab.p) after 30 s"
  mdb E "SELECT seq, srv, seen FROM lab.p ORDER BY seq" | tr '\t' ',' >"$LAB_OUT/rows-pair-E.csv"
  mdb F "SELECT seq, srv, seen FROM lab.p ORDER BY seq" | tr '\t' ',' >"$LAB_OUT/rows-pair-F.csv"
}

main() {
  local t0
  t0=$(now_ms)
  lab_cluster_up
  echo "cluster_up_ms,$(($(now_ms) - t0))" >>"$LAB_OUT/meta.csv"

  start_bg "${LAB_NS[client]}" "$TMP/load_http.log" python3 /lab/guest/load_http.py \
    --host "$VIP_WEB" --rate 8 --max-seconds 1200 --stop-file "$STOP" --out "$LAB_OUT/http.csv"
  local http_pid=$BG_PID
  start_bg "${LAB_NS[client]}" "$TMP/load_sql.log" /lab/guest/load_sql.sh \
    "$VIP_DB" 4 1200 "$STOP" "$LAB_OUT/sql.csv"
  local sql_pid=$BG_PID
  # The agents' /metrics every 2 s, from B (in every agent's allow; nothing
  # cuts B off), for the host's Prometheus (tests/lab/host/prometheus.sh).
  # Not every second: a round is ~5 ms of CPU on this host, many times that
  # under TCG, taken from the cluster being measured.
  local scrape_stop="$TMP/stop-scrape"
  start_bg "${LAB_NS[B]}" "$TMP/scrape_metrics.log" python3 /lab/guest/scrape_metrics.py \
    --interval 2 --max-seconds 1500 --stop-file "$scrape_stop" --out "$LAB_OUT/metrics.om.gz" \
    C="${IP[C]}:9480" D="${IP[D]}:9480" E="${IP[E]}:9480" F="${IP[F]}:9480"
  local scrape_pid=$BG_PID
  sleep 5

  drill nginx_C_killed fault_nginx_c acted_nginx_c restore_nginx_c a_healthy
  drill app_G_killed fault_app_g - restore_app_g app_g_serves
  drill drain_C fault_drain_c acted_nginx_c restore_drain_c a_healthy
  drill mysql_E_killed fault_mysql_e acted_mysql_e nothing e_down
  drill mysql_E_restarted fault_restart_e acted_restart_e nothing a_healthy
  drill director_A_cut fault_cut_a acted_cut_a restore_cut_a a_master_again
  start_weights_director
  drill weights_C fault_weights_c acted_weights_c restore_weights_c c_weight_full_again
  stop_weights_director
  second_chance_on
  drill nginx_C_killed_second_chance fault_nginx_c acted_nginx_c restore_nginx_c_second_chance \
    web_whole

  touch "$STOP"
  wait "$http_pid" "$sql_pid" || fail "a load generator failed"
  # Both servers must end with the same rows before they are compared.
  wait_until 30 rows_converged w || log "E and F still differ after 30 s"
  mdb E "SELECT seq, srv, seen FROM lab.w ORDER BY seq" | tr '\t' ',' >"$LAB_OUT/rows-E.csv"
  mdb F "SELECT seq, srv, seen FROM lab.w ORDER BY seq" | tr '\t' ',' >"$LAB_OUT/rows-F.csv"

  pair_drills
  touch "$scrape_stop"
  wait "$scrape_pid" || log "the metrics scraper failed: $(tail -n 3 "$TMP/scrape_metrics.log")"
  lab_exec A ipvsadm -Ln --stats >"$LAB_OUT/ipvs-stats-A.txt"
  lab_exec B ipvsadm -Ln --stats >"$LAB_OUT/ipvs-stats-B.txt"
  {
    echo "server_id_E,1"
    echo "server_id_F,2"
    echo "kernel,$(uname -r)"
    echo "keepalived,$(keepalived --version 2>&1 | head -n 1)"
    echo "mariadb,$(mariadbd --version | cut -d' ' -f4)"
    echo "nginx,$(nginx -v 2>&1 | cut -d/ -f2)"
    echo "rsagent,$("$RSAGENT" --version)"
  } >>"$LAB_OUT/meta.csv"
  log "drills done in $((($(now_ms) - t0) / 1000)) s"
}

rows_converged() {  # TABLE
  [[ $(mdb_value E "SELECT COUNT(*), MAX(seq) FROM lab.$1") == \
     $(mdb_value F "SELECT COUNT(*), MAX(seq) FROM lab.$1") ]]
}

main
