#!/usr/bin/env bash
# A stale /24 of the VIP on lo (the seed's ifcfg-lo:0 NETMASK mistake) routes
# the directors' subnet into lo. Before, `vip up` added the /32 beside it and
# `vip status` and the agent said DR-ready (issue 12, item 11). Now: status
# says what is wrong and exits 1, the agent's /health is 503 with the reason,
# `vip up` replaces the /24 with the /32, and diagnose names the fix.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/netsetup/vip_config.sh"
require_root
require_cmd ip curl
make_tmp
make_ns stale NS
VIP=192.0.2.100

write_vip_config "$TMP/rsagent.toml" lo "$VIP"
vip() { ip netns exec "$NS" "$RSAGENT" vip "$@" -c "$TMP/rsagent.toml"; }
ip -n "$NS" addr add "$VIP/24" dev lo
ip netns exec "$NS" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2

if vip status >"$TMP/status.txt" 2>&1; then fail "vip status says ready with $VIP/24 on lo"; fi
cat "$TMP/status.txt" >&2
grep -q "bound on lo as /24 as well" "$TMP/status.txt" || fail "vip status does not name the /24"

# Both /32 and /24: the state that was reported ready.
ip -n "$NS" addr add "$VIP/32" dev lo
if vip status >"$TMP/status2.txt" 2>&1; then fail "vip status ready with /32 and a stale /24"; fi
grep -q "ip addr del $VIP/24 dev lo" "$TMP/status2.txt" || fail "no fix in: $(cat "$TMP/status2.txt")"
ip netns exec "$NS" "$RSAGENT" diagnose -c "$TMP/rsagent.toml" >"$TMP/diag.txt" 2>&1 || true
grep -q "/24" "$TMP/diag.txt" || fail "diagnose does not mention the /24: $(cat "$TMP/diag.txt")"
pass "vip status and diagnose: not ready, the /24 named with its fix"

vip up >"$TMP/up.txt" 2>&1 || fail "vip up: $(cat "$TMP/up.txt")"
ip -n "$NS" -4 addr show dev lo | grep -q "$VIP/24" && fail "vip up left $VIP/24 on lo"
ip -n "$NS" -4 addr show dev lo | grep -q "$VIP/32" || fail "vip up did not bind $VIP/32"
vip status >/dev/null || fail "vip status not ready after vip up"
pass "vip up replaces the /24 with the /32; status ready"

# The agent (verify-only) reports it as not DR-ready.
sed -i 's/^device = "lo"$/device = "lo"\nmanage = false/' "$TMP/rsagent.toml"
ip -n "$NS" addr add "$VIP/24" dev lo
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
wait_until 5 ip netns exec "$NS" curl -sf -o /dev/null http://127.0.0.1:9480/status ||
  fail "agent not serving: $(cat "$TMP/agent.log")"
wait_until 5 bash -c "ip netns exec '$NS' curl -s http://127.0.0.1:9480/status | grep -q 'as /24 as well'" ||
  fail "/status does not report the /24: $(ip netns exec "$NS" curl -s http://127.0.0.1:9480/status)"
[[ $(http_code "$NS" http://127.0.0.1:9480/health) == 503 ]] || fail "/health not 503 with a stale /24"
pass "the agent (manage = false) is not DR-ready with the /24: /health 503, /status says why"
