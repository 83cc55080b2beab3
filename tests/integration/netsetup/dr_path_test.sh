# The DR packet path through a node made ready by `rsagent vip up`: the
# director forwards client->VIP frames to the real server by rewriting MACs
# only (nftables netdev `fwd`, an IPVS-DR stand-in: this kernel has no IPVS),
# the real server's nginx answers from the VIP, and the reply goes straight to
# the client: the director never sees a VIP->client packet.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/nginx.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/netsetup/vip_config.sh"
require_root
require_cmd ip nft nginx tcpdump curl
make_tmp

VIP=192.168.1.100
CLIENT=192.168.1.50

lab_switch
lab_host client "$CLIENT"
lab_host dir 192.168.1.2
lab_host web1 192.168.1.11
ip -n "${LAB_NS[dir]}" addr add "$VIP/24" dev lp0

write_vip_config "$TMP/web1.toml" lo "$VIP"
lab_exec web1 "$RSAGENT" vip up -c "$TMP/web1.toml" >"$TMP/up" 2>&1 || fail "vip up: $(cat "$TMP/up")"

# nginx on web1 with every path of its own; it says who answered, from where.
write_nginx_conf "$TMP/nginx" 'listen 80; location / { return 200 "web1 $server_addr"; }'
start_bg "${LAB_NS[web1]}" "$TMP/nginx/stdout" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"
wait_until 5 http_is "${LAB_NS[web1]}" http://127.0.0.1/ 200 || fail "nginx did not start: $(cat "$TMP/nginx/error.log")"

# The director: client->VIP:80 frames leave again towards web1, only the MACs
# rewritten. The source MAC too, else the bridge learns the client's MAC on
# the director's port and web1's replies never reach the client.
lab_exec dir nft -f - <<NFT
table netdev dr {
  chain ingress {
    type filter hook ingress device "lp0" priority 0;
    meta pkttype host ip daddr $VIP tcp dport 80 fib daddr type local ether saddr set ${LAB_MAC[dir]} ether daddr set ${LAB_MAC[web1]} fwd to "lp0"
  }
}
NFT

# -Z root: tcpdump would otherwise drop to its own user and fail to write in $TMP;
# --immediate-mode: else packets wait in the ring and are lost when it is stopped.
start_bg "${LAB_NS[dir]}" "$TMP/tcpdump.log" tcpdump -Z root --immediate-mode -i lp0 -n -U -w "$TMP/dir.pcap" tcp port 80
wait_until 5 grep -q "listening on" "$TMP/tcpdump.log" || fail "tcpdump did not start"

start=$(now_ms)
answer=$(lab_exec client curl -s -m 5 -w ' from=%{remote_ip}' "http://$VIP/") || fail "no HTTP answer via the VIP"
log "HTTP via the director in $(($(now_ms) - start)) ms: $answer"
[[ $answer == "web1 $VIP from=$VIP" ]] || fail "expected web1 answering from $VIP, got: $answer"
pass "the real server answered the client from the VIP"

sleep 0.5  # let tcpdump write the last frames
kill -INT "$BG_PID"
wait "$BG_PID" 2>/dev/null || true
to_vip=$(tcpdump -r "$TMP/dir.pcap" -n "src host $CLIENT and dst host $VIP" 2>/dev/null | wc -l)
from_vip=$(tcpdump -r "$TMP/dir.pcap" -n "src host $VIP and dst host $CLIENT" 2>/dev/null | wc -l)
log "director capture: client->VIP $to_vip packets, VIP->client $from_vip packets"
((to_vip > 0)) || fail "the capture saw no client->VIP packet: it proves nothing"
((from_vip == 0)) || fail "the director saw $from_vip VIP->client packets: not DR"
pass "replies bypassed the director"
