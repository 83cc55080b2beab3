# `rsagent vip up` makes real servers DR-ready on a bridged lab: before it,
# the real servers answer ARP for the VIP (the check can fail); after it, only
# the director does. A second `up` changes nothing; `down` removes exactly
# the VIPs it manages.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/netsetup/vip_config.sh"
require_root
require_cmd ip arping
make_tmp

VIP=192.168.1.100
FOREIGN=192.168.1.250  # an address on lo that rsagent does not manage

lab_switch
lab_host client 192.168.1.50
lab_host dir 192.168.1.2
lab_host web1 192.168.1.11
lab_host web2 192.168.1.12
ip -n "${LAB_NS[dir]}" addr add "$VIP/24" dev lp0

contains_mac() { grep -qx "$2" <<<"$1"; }

# --- Prove the check can fail: VIP on lo without ARP suppression.
for rs in web1 web2; do
  lab_exec "$rs" sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0 \
    net.ipv4.conf.lp0.arp_ignore=0 net.ipv4.conf.lp0.arp_announce=0
  ip -n "${LAB_NS[$rs]}" addr add "$VIP/32" dev lo
done
responders=$(lab_arp_responders client "$VIP")
log "without suppression, ARP answers for $VIP from: $(echo $responders)"
contains_mac "$responders" "${LAB_MAC[web1]}" || fail "web1 did not answer ARP without suppression"
contains_mac "$responders" "${LAB_MAC[web2]}" || fail "web2 did not answer ARP without suppression"
contains_mac "$responders" "${LAB_MAC[dir]}" || fail "the director did not answer ARP"
pass "the ARP check sees real servers answering when they are not suppressed"

# --- rsagent binds the VIPs itself, after suppressing ARP.
for rs in web1 web2; do
  ip -n "${LAB_NS[$rs]}" addr del "$VIP/32" dev lo
  write_vip_config "$TMP/$rs.toml" lo "$VIP"
done
ip -n "${LAB_NS[web1]}" addr add "$FOREIGN/32" dev lo
for rs in web1 web2; do
  start=$(now_ms)
  lab_exec "$rs" "$RSAGENT" vip up -c "$TMP/$rs.toml" >"$TMP/$rs.up" 2>&1 ||
    fail "vip up on $rs: $(cat "$TMP/$rs.up")"
  log "vip up on $rs took $(($(now_ms) - start)) ms"
  [[ $(ip -n "${LAB_NS[$rs]}" -o addr show dev lo) == *" $VIP/32 "* ]] || fail "$VIP/32 not on $rs lo"
  [[ $(lab_exec "$rs" sysctl -n net.ipv4.conf.all.arp_ignore) == 1 ]] || fail "arp_ignore not 1"
  [[ $(lab_exec "$rs" sysctl -n net.ipv4.conf.all.arp_announce) == 2 ]] || fail "arp_announce not 2"
done
for round in 1 2; do
  responders=$(lab_arp_responders client "$VIP")
  log "after vip up (round $round), ARP answers for $VIP from: $(echo $responders)"
  [[ $responders == "${LAB_MAC[dir]}" ]] || fail "expected only the director (${LAB_MAC[dir]})"
done
pass "after vip up only the director answers ARP for the VIP"

lab_exec web1 "$RSAGENT" vip status -c "$TMP/web1.toml" --json >"$TMP/status.json" ||
  fail "vip status says not ready: $(cat "$TMP/status.json")"
grep -q '"ready": true' "$TMP/status.json" || fail "status JSON lacks ready=true"

# --- Idempotency: a second `up` changes neither addresses nor sysctls.
snapshot() { ip -n "${LAB_NS[web1]}" -o addr show; arp_sysctls "${LAB_NS[web1]}"; }
snapshot >"$TMP/before"
lab_exec web1 "$RSAGENT" vip up -c "$TMP/web1.toml" >"$TMP/up2" 2>&1 || fail "second vip up failed"
snapshot >"$TMP/after"
diff -u "$TMP/before" "$TMP/after" || fail "second vip up changed something"
pass "second vip up changed nothing"

# --- `down` removes exactly the managed VIP; the rest of lo and the sysctls stay.
lab_exec web1 "$RSAGENT" vip down -c "$TMP/web1.toml" >"$TMP/down" 2>&1 ||
  fail "vip down: $(cat "$TMP/down")"
snapshot >"$TMP/down.after"
diff "$TMP/before" "$TMP/down.after" | grep '^[<>]' >"$TMP/down.diff" || true
log "vip down changed: $(cat "$TMP/down.diff")"
[[ $(wc -l <"$TMP/down.diff") == 1 ]] && grep -q "^< .* $VIP/32 " "$TMP/down.diff" ||
  fail "vip down should remove only $VIP/32"
pass "vip down removed exactly $VIP/32 ($FOREIGN and 127.0.0.1 stay, sysctls stay)"
