#!/usr/bin/env bash
# `rsagent drain` under load, through a DR director: a client sends a steady,
# bounded stream of HTTP requests to the VIP; a director stand-in (this kernel
# has no IPVS) polls both agents' /health/web every 150 ms and edits an
# nftables netdev DR table — new connections (SYN) are spread over the UP
# servers, established ones stay on the server they started on, as IPVS does
# for a weight-0 (inhibit_on_failure) real server. While the stream runs,
# web1 is drained: no request may fail, web1's slow downloads in flight
# finish, and no request started after the director reacted reaches web1.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
require_root
require_cmd nft nginx curl
make_tmp

VIP=192.168.1.100
lab_switch
lab_host client 192.168.1.50
lab_host dir 192.168.1.2
lab_host web1 192.168.1.11
lab_host web2 192.168.1.12
ip -n "${LAB_NS[dir]}" addr add "$VIP/24" dev lp0
head -c 300000 /dev/zero >"$TMP/big"

for n in 1 2; do
  d="$TMP/web$n"
  NGINX_ACCESS_LOG="$d/access.log" write_nginx_conf "$d" "
    listen 80;
    add_header X-Server web$n always;
    location = / { return 200 \"web$n\\n\"; }
    # ~3 s to download: a connection that is in flight across the drain.
    location = /big { alias $TMP/big; limit_rate 100k; }"
  start_bg "${LAB_NS[web$n]}" "$d/stdout" nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
  cat >"$d/rsagent.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
state_dir = "$d/state"
control_socket = "$d/run/control.sock"
shutdown_grace = "0s"

[vip]
addresses = ["$VIP"]

[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
interval = "200ms"
timeout = "200ms"

[service.web]
vip = "$VIP"
port = 80
probes = ["nginx"]
CONF
  start_bg "${LAB_NS[web$n]}" "$d/agent.log" "$RSAGENT" run -c "$d/rsagent.toml"
done
for n in 1 2; do
  wait_until 5 http_is "${LAB_NS[dir]}" "http://192.168.1.1$n:9480/health/web" 200 ||
    fail "web$n not UP: $(cat "$TMP/web$n/agent.log")"
done
pass "both real servers UP as seen from the director"

# The director stand-in. Established flows are remembered in @web1_flows
# (flows on web2 are everything else), so only the choice for a new SYN
# changes when a server's health changes.
D=${LAB_MAC[dir]}
lab_exec dir nft -f - <<NFT
table netdev dr {
  set web1_flows { type ipv4_addr . inet_service; flags dynamic,timeout; timeout 60s; }
  chain to_web1 {
    add @web1_flows { ip saddr . tcp sport }
    ether saddr set $D ether daddr set ${LAB_MAC[web1]} fwd to "lp0"
  }
  chain to_web2 { ether saddr set $D ether daddr set ${LAB_MAC[web2]} fwd to "lp0"; }
  chain pick { }
  chain ingress {
    type filter hook ingress device "lp0" priority 0;
    meta pkttype host ip daddr $VIP tcp dport 80 fib daddr type local jump route
  }
  chain route {
    ip saddr . tcp sport @web1_flows jump to_web1
    tcp flags & (syn | ack) == syn jump pick
    jump to_web2
  }
}
NFT
cat >"$TMP/director.sh" <<'SH'
# Polls the agents, rewrites the pick chain on every change; bounded.
stop="$1" vip_log="$2"
state=""
for ((i = 0; i < 600; i++)); do
  [[ -e $stop ]] && exit 0
  up=()
  for n in 1 2; do
    code=$(curl -s -o /dev/null -m 0.5 -w '%{http_code}' "http://192.168.1.1$n:9480/health/web")
    [[ $code == 200 ]] && up+=("$n")
  done
  now="${up[*]}"
  if [[ $now != "$state" ]]; then
    case "$now" in
      "1 2") map='0 : jump to_web1, 1 : jump to_web2' ;;
      "1") map='0 : jump to_web1, 1 : jump to_web1' ;;
      *) map='0 : jump to_web2, 1 : jump to_web2' ;;
    esac
    printf 'flush chain netdev dr pick\nadd rule netdev dr pick jhash ip saddr . tcp sport mod 2 vmap { %s }\n' "$map" | nft -f -
    echo "$(($(date +%s%N) / 1000000)) up=[$now]" >>"$vip_log"
    state=$now
  fi
  sleep 0.15
done
SH
start_bg "${LAB_NS[dir]}" "$TMP/director.out" bash "$TMP/director.sh" "$TMP/stop" "$TMP/director.log"
on_exit "touch '$TMP/stop'"
wait_until 5 grep -q 'up=\[1 2\]' "$TMP/director.log" || fail "director did not start: $(cat "$TMP/director.out")"

# The load: 400 requests, one new connection each, ~15 ms apart.
cat >"$TMP/client.sh" <<SH
for ((i = 0; i < 400; i++)); do
  t=\$((\$(date +%s%N) / 1000000))
  out=\$(curl -s -m 3 -D - -o /dev/null "http://$VIP/" | tr -d '\r' | awk '/^HTTP/{c=\$2} /^X-Server/{s=\$2} END{print c, s}')
  echo "\$t \${out:-000 none}"
  sleep 0.015
done
SH
start_bg "${LAB_NS[client]}" "$TMP/client.log" bash "$TMP/client.sh"
CLIENT_PID=$BG_PID
# Slow downloads (~3 s, started before the drain): those on web1 must finish.
for k in $(seq 10); do
  lab_exec client curl -s -m 20 -D "$TMP/big$k.h" -o "$TMP/big$k.out" "http://$VIP/big" &
  on_exit "kill -9 $! 2>/dev/null"
done
sleep 1.5

t_drain=$(now_ms)
lab_exec web1 "$RSAGENT" drain web -c "$TMP/web1/rsagent.toml" || fail "drain failed"
wait_until 5 grep -q 'up=\[2\]' "$TMP/director.log" || fail "director never saw web1 drained"
t_react=$(awk '/up=\[2\]/{print $1; exit}' "$TMP/director.log")
log "drain -> director switched in $((t_react - t_drain)) ms"

wait "$CLIENT_PID" || true
wait_until 25 bash -c "for k in \$(seq 10); do [[ \$(stat -c %s $TMP/big\$k.out 2>/dev/null) == 300000 ]] || exit 1; done" ||
  fail "a slow download did not finish: $(ls -l "$TMP"/big*.out)"

total=$(wc -l <"$TMP/client.log")
failed=$(awk '$2 != 200' "$TMP/client.log" | wc -l)
web1_before=$(awk -v t="$t_drain" '$1 < t && $3 == "web1"' "$TMP/client.log" | wc -l)
web1_after=$(awk -v t="$t_react" '$1 > t && $3 == "web1"' "$TMP/client.log" | wc -l)
web2_after=$(awk -v t="$t_react" '$1 > t && $3 == "web2"' "$TMP/client.log" | wc -l)
slow_on_web1=$(grep -l 'X-Server: web1' "$TMP"/big*.h | wc -l)
log "requests: $total, failed: $failed; web1 before drain: $web1_before; after the director reacted: web1 $web1_after, web2 $web2_after; slow downloads on web1 finished: $slow_on_web1"
((total == 400)) || fail "client made $total requests"
((failed == 0)) || fail "$failed requests failed: $(awk '$2 != 200' "$TMP/client.log" | head -5)"
((web1_before > 0)) || fail "web1 got no traffic before the drain: the test proves nothing"
((web2_after > 0)) || fail "no traffic after the drain"
((web1_after == 0)) || fail "web1 got $web1_after new connections after the director reacted"
pass "drain under load: 0 of $total requests failed, no new connection to web1 after the switch"
# 10 flows hashed over two servers: all on web2 has odds of 1 in 1024.
((slow_on_web1 > 0)) || fail "no slow download landed on web1: the in-flight check proves nothing"
pass "$slow_on_web1 downloads in flight on web1 across the drain finished complete"
