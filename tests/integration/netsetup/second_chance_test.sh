#!/usr/bin/env bash
# Second chance (issue 19) on the DR path, in namespaces: client -> an
# nftables DR stand-in director (polls each agent's /health/web once a
# second, as keepalived's delay_loop does; new flows hashed over the UP
# servers, established flows stay where they are) -> web1, web2, web3, each
# with nginx and rsagent owning the VIP on lo. A steady stream of requests
# (a new connection each) runs while nginx on web1 is killed with SIGKILL:
#   off  agents without [second_chance]: the connections the director sends
#        to web1 until its next check are refused (printed);
#   on   with [second_chance]: web1's tc program hands every packet it cannot
#        serve to an UP peer at L2; the count of failed requests and the
#        kill -> agent DOWN latency are printed, failures must be ~0.
# Faults of the mechanism itself:
#   peer dies   web2 dies while web1 hands flows to it: web1 stops using web2
#               once web2's agent says DOWN; every request ends (no hang);
#   agent -9    web1's agent killed while web1 forwards, the director frozen
#               so it keeps sending to web1: forwarding goes on until the
#               heartbeat ages out, then web1 refuses like a node without
#               second chance (fast, no black hole); a new agent takes over;
#   no peer UP  web2 and web3 DOWN: web1 forwards nothing, refuses fast.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nft nginx curl python3 tc
make_tmp

VIP=192.168.1.100
lab_switch
lab_host client 192.168.1.50
lab_host dir 192.168.1.2
for n in 1 2 3; do lab_host "web$n" "192.168.1.1$n"; done
ip -n "${LAB_NS[dir]}" addr add "$VIP/24" dev lp0

write_agent() {  # N SECOND_CHANCE(0|1)
  local n=$1 d="$TMP/web$1"
  cat >"$d/rsagent.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
allow = ["127.0.0.0/8"]
state_dir = "$d/state"
control_socket = "$d/run/control.sock"
shutdown_grace = "0s"

[vip]
addresses = ["$VIP"]

[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
interval = "500ms"
timeout = "200ms"
rise = 2
fall = 2

[service.web]
vip = "$VIP"
port = 80
probes = ["nginx"]
CONF
  (($2)) || return 0
  cat >>"$d/rsagent.toml" <<CONF

[second_chance]
interface = "lp0"
services = ["web"]
poll = "100ms"
timeout = "100ms"
heartbeat_timeout = "1s"
CONF
  local p
  for p in 1 2 3; do
    ((p == n)) && continue
    printf '\n[peer.web%s]\nagent = "192.168.1.1%s:9480"\nmac = "%s"\n' "$p" "$p" "${LAB_MAC[web$p]}" >>"$d/rsagent.toml"
  done
}

declare -A NGINX AGENT
start_web() {  # N
  local d="$TMP/web$1"
  start_bg "${LAB_NS[web$1]}" "$d/nginx.out" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
  NGINX[$1]=$BG_PID
  wait_until 5 http_is "${LAB_NS[web$1]}" http://127.0.0.1/ 200 || fail "nginx web$1 did not start"
}
kill_web() {  # N
  local workers
  workers=$(pgrep -P "${NGINX[$1]}" || true)
  kill -9 "${NGINX[$1]}" $workers 2>/dev/null || true
}
start_agent() {  # N
  local d="$TMP/web$1"
  start_bg "${LAB_NS[web$1]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
  AGENT[$1]=$BG_PID
}
stop_agent() { kill -TERM "${AGENT[$1]}" 2>/dev/null; wait "${AGENT[$1]}" 2>/dev/null || true; }
health() { http_code "${LAB_NS[dir]}" "http://192.168.1.1$1:9480/health/web"; }
all_up() { for n in 1 2 3; do [[ $(health "$n") == 200 ]] || return 1; done; }

for n in 1 2 3; do
  d="$TMP/web$n"
  mkdir -p "$d"
  NGINX_ACCESS_LOG="$d/access.log" write_nginx_conf "$d" "
    listen 80;
    add_header X-Server web$n always;
    location = / { return 200 \"web$n\\n\"; }"
  start_web "$n"
  write_agent "$n" 0
  start_agent "$n"
done
wait_until 10 all_up || fail "servers not UP: $(for n in 1 2 3; do tail -3 "$TMP/web$n/agent.log"; done)"

# The director. Flows stay on the server they were sent to (@webN_flows);
# new ones are hashed over the servers UP at the last poll.
D=${LAB_MAC[dir]}
{
  echo "table netdev dr {"
  for n in 1 2 3; do
    echo "  set web${n}_flows { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 60s; }"
    echo "  chain to_web$n { add @web${n}_flows { ip saddr . tcp sport } ether saddr set $D ether daddr set ${LAB_MAC[web$n]} fwd to \"lp0\"; }"
  done
  echo "  chain pick { jump to_web1; }"
  echo "  chain ingress {"
  echo "    type filter hook ingress device \"lp0\" priority 0;"
  echo "    meta pkttype host ip daddr $VIP tcp dport 80 fib daddr type local jump route"
  echo "  }"
  echo "  chain route {"
  echo "    tcp flags & (syn | ack) == syn jump pick"
  for n in 1 2 3; do echo "    ip saddr . tcp sport @web${n}_flows jump to_web$n"; done
  echo "    jump pick"
  echo "  }"
  echo "}"
} | lab_exec dir nft -f - || fail "director table"
cat >"$TMP/director.sh" <<'SH'
# Polls the agents once a second (keepalived's delay_loop); rewrites `pick`.
stop="$1" freeze="$2" out="$3"
state=""
for ((i = 0; i < 900; i++)); do
  [[ -e $stop ]] && exit 0
  if [[ ! -e $freeze ]]; then
    up=()
    for n in 1 2 3; do
      code=$(curl -s -o /dev/null -m 0.5 -w '%{http_code}' "http://192.168.1.1$n:9480/health/web")
      [[ $code == 200 ]] && up+=("$n")
    done
    now="${up[*]}"
    if [[ $now != "$state" && ${#up[@]} -gt 0 ]]; then
      map=""
      for ((k = 0; k < ${#up[@]}; k++)); do map+="${map:+, }$k : jump to_web${up[k]}"; done
      printf 'flush chain netdev dr pick\nadd rule netdev dr pick jhash ip saddr . tcp sport mod %d vmap { %s }\n' \
        "${#up[@]}" "$map" | nft -f -
      echo "$(($(date +%s%N) / 1000000)) up=[$now]" >>"$out"
      state=$now
    fi
  fi
  sleep 1
done
SH
start_bg "${LAB_NS[dir]}" "$TMP/director.out" bash "$TMP/director.sh" "$TMP/stop" "$TMP/freeze" "$TMP/director.log"
on_exit "touch '$TMP/stop'"
director_has() { [[ $(tail -1 "$TMP/director.log" 2>/dev/null) == *"up=[$1]" ]]; }
wait_until 5 director_has "1 2 3" || fail "director did not start: $(cat "$TMP/director.out")"

# The stream: N requests, a new connection each, ~20 ms apart. One line per
# request: start ms, HTTP code (000 = failed), curl exit, seconds, server.
start_stream() {  # NAME COUNT
  cat >"$TMP/client.sh" <<SH
for ((i = 0; i < $2; i++)); do
  t=\$((\$(date +%s%N) / 1000000))
  out=\$(curl -s -m 3 -D - -o /dev/null -w 'T %{time_total}\n' "http://$VIP/"; echo "E \$?")
  code=\$(awk '/^HTTP/{print \$2}' <<<"\$out" | tr -d '\r')
  srv=\$(awk '/^X-Server/{print \$2}' <<<"\$out" | tr -d '\r')
  echo "\$t \${code:-000} \$(awk '/^E /{print \$2}' <<<"\$out") \$(awk '/^T /{print \$2}' <<<"\$out") \${srv:-none}"
  sleep 0.02
done
SH
  start_bg "${LAB_NS[client]}" "$TMP/$1.log" bash "$TMP/client.sh"
  STREAM=$BG_PID
}
failed() { awk '$2 != 200' "$TMP/$1.log" | wc -l; }
hung() { awk '$2 != 200 && $4 > 2.5' "$TMP/$1.log" | wc -l; }
restore() {  # N...: nginx back on these, wait for the director to see all
  for n in "$@"; do start_web "$n"; done
  wait_until 20 director_has "1 2 3" || fail "the director did not get all servers back"
}

# The director keeps its pool as it is from here (a poll in progress ends
# first) until thaw_director: new connections keep going to web1 whatever
# happens to it.
freeze_director() {
  touch "$TMP/freeze"
  sleep 1.2
}
thaw_director() { rm -f "$TMP/freeze"; }

# CMD... with the director frozen from before it until 1 s after: one check
# interval (keepalived's delay_loop) in which new connections still go to
# web1, the same for both runs — else a poll right after the kill could leave
# the run without a single connection sent to the dead server.
with_director_lag() {
  freeze_director
  "$@"
  sleep 1
  thaw_director
}

# ---- off: plain DR ------------------------------------------------------
start_stream off 250
sleep 2
with_director_lag kill_web 1
wait "$STREAM" || true
OFF=$(failed off)
log "second chance off: $OFF of $(wc -l <"$TMP/off.log") requests failed after kill -9 nginx on web1"
((OFF > 0)) || fail "no request failed without second chance: the test would prove nothing"
restore 1

# ---- on -----------------------------------------------------------------
for n in 1 2 3; do stop_agent "$n"; write_agent "$n" 1; start_agent "$n"; done
wait_until 10 all_up || fail "agents with second chance not UP: $(tail -5 "$TMP/web1/agent.log")"
lab_exec web1 tc filter show dev lp0 ingress | grep -q second_chance ||
  fail "no second_chance filter on web1's lp0: $(tail -5 "$TMP/web1/agent.log")"
start_stream on 250
sleep 2
kill_ms=$(with_director_lag lab_exec web1 python3 "$(dirname "$0")/../agent/kill_watch.py" \
  http://127.0.0.1:9480/health/web "${NGINX[1]}" $(pgrep -P "${NGINX[1]}"))
wait "$STREAM" || true
ON=$(failed on)
handed=$(lab_exec web1 curl -s http://127.0.0.1:9480/status | python3 -c '
import json, sys
sc = json.load(sys.stdin)["second_chance"]
print(sum(p["connections_handed_over"] for p in sc["peers"]))')
log "second chance on: $ON of $(wc -l <"$TMP/on.log") requests failed; web1 handed $handed connections to its peers; kill -9 -> web1 DOWN in $kill_ms ms"
((ON == 0)) || log "failed with second chance (start ms, code, curl exit, s, server): $(awk '$2 != 200' "$TMP/on.log")"
((handed > 0)) || fail "web1 handed over no connection: second chance never acted"
# Not `curl | grep -q` (with pipefail, curl's SIGPIPE after the match fails it).
grep -q '^rsagent_second_chance_connections_total{peer="web2"}' <<<"$(lab_exec web1 curl -s http://127.0.0.1:9480/metrics)" ||
  fail "no second-chance counters in /metrics"
((ON <= 1)) || fail "$ON requests failed with second chance: $(awk '$2 != 200' "$TMP/on.log" | head -5)"
pass "kill -9 nginx under load: $OFF failed requests without second chance, $ON with it; agent DOWN in $kill_ms ms"
restore 1

# ---- a peer dies while receiving handed-over flows ----------------------
start_stream peer 250
sleep 2
kill_web 1
sleep 1
kill_web 2
wait "$STREAM" || true
PEER=$(failed peer)
HUNG=$(hung peer)
log "web2 died 1 s after web1 while taking web1's flows: $PEER failed requests, $HUNG hung"
((HUNG == 0)) || fail "$HUNG requests hung: a black hole"
((PEER <= 10)) || fail "$PEER requests failed when a peer died"
pass "a peer dying while receiving handed-over flows: $PEER failed, none hung"
restore 1 2

# ---- the agent killed -9 while its node forwards ------------------------
start_stream agent 300
sleep 2
freeze_director # for the whole phase: web1 keeps getting connections
kill_web 1
sleep 0.5
t_agent=$(now_ms)
kill -9 "${AGENT[1]}"
wait "${AGENT[1]}" 2>/dev/null || true
wait "$STREAM" || true
# Before the heartbeat aged out (1 s): still handed over. After it (+ slack):
# web1's kernel refuses, as without second chance. Never a hang.
late_ok=$(awk -v a="$t_agent" '$1 > a + 1500 && $2 == 200 && $5 != "web1"' "$TMP/agent.log" | wc -l)
late_refused=$(awk -v a="$t_agent" '$1 > a + 1500 && $3 == 7' "$TMP/agent.log" | wc -l)
HUNG=$(hung agent)
log "agent on web1 killed -9: after the heartbeat aged out $late_refused requests refused at once, $late_ok served elsewhere; $HUNG hung"
((HUNG == 0)) || fail "$HUNG requests hung after the agent died: a black hole"
((late_refused > 0)) || fail "web1 never refused after its agent died: the program did not step aside"
lab_exec web1 tc filter show dev lp0 ingress | grep -q second_chance ||
  fail "the filter vanished with the agent (it should stay and step aside)"
pass "agent killed -9 while forwarding: the program stepped aside (refused fast, none hung)"
thaw_director
start_agent 1
wait_until 10 bash -c "ip netns exec ${LAB_NS[web1]} curl -s http://127.0.0.1:9480/status | grep -q connections_handed_over" ||
  fail "a new agent did not take over: $(tail -5 "$TMP/web1/agent.log")"
restore 1

# ---- no peer UP ---------------------------------------------------------
kill_web 2
kill_web 3
wait_until 20 director_has "1" || fail "the director did not evict web2 and web3"
before=$(lab_exec web1 curl -s http://127.0.0.1:9480/status | python3 -c '
import json, sys; print(sum(p["packets_handed_over"] for p in json.load(sys.stdin)["second_chance"]["peers"]))')
start_stream none 60
sleep 0.5
kill_web 1
wait "$STREAM" || true
sleep 0.3
after=$(lab_exec web1 curl -s http://127.0.0.1:9480/status | python3 -c '
import json, sys; print(sum(p["packets_handed_over"] for p in json.load(sys.stdin)["second_chance"]["peers"]))')
HUNG=$(hung none)
log "no peer UP: $(failed none) requests failed (nothing serves), $HUNG hung, packets handed over $before -> $after"
((HUNG == 0)) || fail "$HUNG requests hung with no peer UP"
((after == before)) || fail "web1 handed $((after - before)) packets to DOWN peers"
pass "both peers DOWN: nothing handed over, every request refused fast"
