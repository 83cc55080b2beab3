# A running agent re-binds a VIP deleted behind its back (as `ip addr flush
# dev lo` or a network restart would), at once, and counts it in /status.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/netsetup/vip_config.sh"
require_root
require_cmd ip curl python3
make_tmp

VIP=192.168.1.100
lab_switch
lab_host web1 192.168.1.11
NS=${LAB_NS[web1]}

write_vip_config "$TMP/web1.toml" lo "$VIP"
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/web1.toml"
AGENT_PID=$BG_PID

# Not `ip | grep -q`: grep exiting first makes ip die of SIGPIPE, failing the pipe.
vip_bound() { [[ $(ip -n "$NS" -o addr show dev lo) == *" $VIP/32 "* ]]; }
# vip_field FIELD -> dr.vips[0].FIELD from the agent's /status.
vip_field() {
  ip netns exec "$NS" curl -s -m 2 http://127.0.0.1:9480/status |
    python3 -c "import json, sys; print(json.dumps(json.load(sys.stdin)['dr']['vips'][0]['$1']))"
}
heals_are() { [[ $(vip_field heals) == "$1" ]]; }
heals_at_least() { local h; h=$(vip_field heals) && ((h >= $1)); }

wait_until 10 vip_bound || fail "the agent did not bind $VIP: $(tail -5 "$TMP/agent.log")"
wait_until 10 heals_are 0 || fail "/status does not show dr.vips[0].heals = 0"
log "agent up, $VIP bound, /status reachable after ${WAITED_MS} ms"

round=0
for removal in "addr del $VIP/32 dev lo" "addr del $VIP/32 dev lo" "addr flush dev lo"; do
  ((++round))
  # `ip addr flush` gives up ("Flush remains incomplete") when the agent
  # re-binds the VIP faster than it can delete it: that is the agent winning.
  ip -n "$NS" $removal || [[ $removal == *flush* ]]
  start=$(date +%s%N)
  until vip_bound || (($(date +%s%N) - start > 5000000000)); do :; done  # polls for <= 5 s
  elapsed_ms=$((($(date +%s%N) - start) / 1000000))
  vip_bound || fail "round $round: $VIP not bound again after ${elapsed_ms} ms"
  log "round $round ($removal): $VIP bound again ${elapsed_ms} ms later"
  ((elapsed_ms < 5000)) || fail "healing took ${elapsed_ms} ms"
  # A flush took 127.0.0.1 too, which is not rsagent's to restore; put it back
  # (as the network restart that flushed it would) to reach /status.
  [[ $removal != *flush* ]] || ip -n "$NS" addr add 127.0.0.1/8 dev lo
  if [[ $removal == *flush* ]]; then
    # `ip addr flush` repeats until lo is empty, so it may delete the re-bound
    # VIP again: each deletion is a heal.
    wait_until 5 heals_at_least "$round" || fail "/status dr.vips[0].heals is $(vip_field heals), want >= $round"
  else
    wait_until 5 heals_are "$round" || fail "/status dr.vips[0].heals is $(vip_field heals), want $round"
  fi
  log "round $round: /status dr.vips[0].heals = $(vip_field heals)"
done
[[ $(vip_field present) == true ]] || fail "/status says the VIP is not present"
kill -0 "$AGENT_PID" || fail "the agent died"
pass "deleted VIP re-bound by the running agent, heals counted in /status"
