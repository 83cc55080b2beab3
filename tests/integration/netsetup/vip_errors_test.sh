# `rsagent vip up` refuses clearly, and changes nothing, when it lacks
# privileges, when the device does not exist, or when a VIP is already an
# address of a real interface (that node would take the VIP from the director).
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/netns.sh"
source "$RSAGENT_SOURCE_DIR/tests/integration/netsetup/vip_config.sh"
require_root
require_cmd ip setpriv
make_tmp

VIP=192.168.1.100
lab_switch
lab_host web1 192.168.1.11
NS=${LAB_NS[web1]}
lab_exec web1 sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0

# IPv6 duplicate address detection may end between two snapshots: its
# "tentative" flag is the kernel's doing, not a change the refusal made.
snapshot() { ip -n "$NS" -o addr show | sed 's/ tentative / /'; arp_sysctls "$NS"; }
snapshot >"$TMP/before"

# expect_refusal NAME MESSAGE CMD... -> CMD fails, says MESSAGE, changes nothing.
expect_refusal() {
  local name="$1" message="$2"
  shift 2
  local rc=0
  "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
  log "$name: exit $rc: $(cat "$TMP/$name.err")"
  ((rc != 0)) || fail "$name: succeeded"
  grep -qF "$message" "$TMP/$name.err" || fail "$name: error does not say '$message'"
  snapshot >"$TMP/after"
  diff -u "$TMP/before" "$TMP/after" || fail "$name: changed the node"
  pass "$name refused: $message"
}

write_vip_config "$TMP/ok.toml" lo "$VIP"
expect_refusal not-root "needs root or CAP_NET_ADMIN" \
  ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
  "$RSAGENT" vip up -c "$TMP/ok.toml"

write_vip_config "$TMP/nodev.toml" dummy7 "$VIP"
expect_refusal unknown-device '[vip].device "dummy7" does not exist' \
  lab_exec web1 "$RSAGENT" vip up -c "$TMP/nodev.toml"

write_vip_config "$TMP/real.toml" lo 192.168.1.11
expect_refusal vip-on-real-interface "192.168.1.11 is already an address of lp0" \
  lab_exec web1 "$RSAGENT" vip up -c "$TMP/real.toml"

# Reading needs no privilege: status works unprivileged and says "not ready".
rc=0
ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
  "$RSAGENT" vip status -c "$TMP/ok.toml" >"$TMP/status" 2>&1 || rc=$?
log "unprivileged vip status: exit $rc"
((rc == 1)) && grep -q "DR ready: no" "$TMP/status" || fail "vip status: $(cat "$TMP/status")"
pass "unprivileged vip status reports the node not ready"
