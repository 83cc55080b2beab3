#!/usr/bin/env bash
# The packaged unit under a real systemd: the .deb installed into a fresh
# Debian 12 root (systemd_unit_trixie_test.sh: Debian 13, the same .deb)
# that boots in systemd-nspawn with its own network namespace
# (--private-network: only lo; the VIP never leaves it). Inside, everything
# the hardening could break is exercised: ARP left alone at boot, VIP on
# lo over netlink and the ARP sysctls (CAP_NET_ADMIN), tcp and exec probes
# under the syscall filter, the control socket in /run/rsagent, the drain
# state in /var/lib/rsagent, reload by the control command (a rejected config
# fails `systemctl reload`), stop with the shutdown grace.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/packages.sh"

require_root
require_cmd cpack debootstrap chroot mount mountpoint umount curl systemd-nspawn
make_tmp
require_mirror "$SUITE"

deb=$(build_package DEB "$TMP/out")
root="$TMP/root"
make_debian_root "$root" systemd systemd-sysv curl iproute2
cp "$deb" "$root/tmp/"
start=$(now_ms)
apt_in_root "$root" install "/tmp/$(basename "$deb")"
log "the .deb installed in the $SUITE root: $(($(now_ms) - start)) ms"

# A node with one VIP, a tcp probe (the agent's own port) and exec probes
# (argv and shell). arp_ignore = 2: the agent's write, not a default.
# The node's config is its own file, named in /etc/default/rsagent: the unit
# must read its extra arguments from there.
echo 'RSAGENT_OPTIONS="-c /etc/rsagent/node.toml"' >"$root/etc/default/rsagent"
cat >"$root/etc/rsagent/node.toml" <<'TOML'
[agent]
shutdown_grace = "1s"

[vip]
addresses = ["192.168.1.100"]
arp_ignore = 2

[probe.self]
type = "tcp"
targets = ["127.0.0.1:9480"]

[probe.argv]
type = "exec"
command = ["/bin/true"]

[probe.shell]
type = "exec"
command = "test -d /var/lib/rsagent"
shell = true

[service.web]
vip = "192.168.1.100"
port = 80
probes = ["self", "argv", "shell"]
TOML
# Reload adds a service: it answers only if the reload reached the agent.
cp "$root/etc/rsagent/node.toml" "$root/etc/rsagent/reloaded.toml"
printf '\n[service.extra]\nport = 81\nprobes = ["argv"]\n' >>"$root/etc/rsagent/reloaded.toml"
# Then a config the agent must reject: systemctl reload fails, the old one serves.
cp "$root/etc/rsagent/reloaded.toml" "$root/etc/rsagent/rejected.toml"
printf '\n[probe.broken]\ntype = "no-such-kind"\n' >>"$root/etc/rsagent/rejected.toml"

# ARP sysctl as systemd-sysctl left it, before the agent starts.
cat >"$root/etc/systemd/system/arp-at-boot.service" <<'UNIT'
[Unit]
After=systemd-sysctl.service
Before=rsagent.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'cat /proc/sys/net/ipv4/conf/all/arp_ignore >/run/arp-at-boot'
[Install]
WantedBy=multi-user.target
UNIT
cat >"$root/usr/local/sbin/boot-check" <<'SCRIPT'
#!/bin/sh
# Prints CHECK key=value lines for the host test, then powers off.
exec >/dev/console 2>&1
health() { curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:9480/health/$1"; }
wait_health() {  # wait_health SERVICE CODE -> tenths of a second waited
  i=0
  while [ $i -lt 150 ] && [ "$(health "$1")" != "$2" ]; do sleep 0.1; i=$((i + 1)); done
  echo $i
}
t=$(wait_health web 200)
echo "CHECK health=$(health web) waited_ds=$t"
echo "CHECK active=$(systemctl is-active rsagent) restarts=$(systemctl show -p NRestarts --value rsagent)"
echo "CHECK vip=$(ip -o addr show dev lo | grep -c 'inet 192.168.1.100/32')"
conf=/proc/sys/net/ipv4/conf/all
echo "CHECK arp_at_boot=$(cat /run/arp-at-boot) arp_ignore=$(cat $conf/arp_ignore)" \
  "arp_announce=$(cat $conf/arp_announce)"
echo "CHECK modes=$(stat -c %a /var/lib/rsagent /run/rsagent /run/rsagent/control.sock | tr '\n' ,)"
rsagent drain web >/dev/null; echo "CHECK drain_rc=$?"
echo "CHECK drained=$(grep -c '"drain"' /var/lib/rsagent/overrides.json) health=$(health web)"
mv /etc/rsagent/reloaded.toml /etc/rsagent/node.toml
systemctl reload rsagent; echo "CHECK reload_rc=$?"
t=$(wait_health extra 200)
echo "CHECK after_reload=$(systemctl is-active rsagent) extra=$(health extra) waited_ds=$t"
journalctl -u rsagent --no-pager -o cat | sed 's/^/JOURNAL /'
mv /etc/rsagent/rejected.toml /etc/rsagent/node.toml
systemctl reload rsagent 2>/dev/null; echo "CHECK bad_reload_rc=$?"
echo "CHECK after_bad=$(systemctl is-active rsagent) extra=$(health extra)"
journalctl -u rsagent --no-pager -o cat | grep -F 'no-such-kind' | sed 's/^/REJECTED /'
# Priorities from the agent's <N> prefixes: the rejection is an error, the
# start-up line info, and no prefix is left in the text.
warn=$(journalctl -u rsagent -p warning --no-pager -o cat)
echo "CHECK prio_warning=$(echo "$warn" | grep -c 'no-such-kind')" \
  "info_in_warning=$(echo "$warn" | grep -c 'serving health')" \
  "prefix_left=$(journalctl -u rsagent --no-pager -o cat | grep -c '^<[0-9]>')"

s=$(date +%s%N); systemctl stop rsagent; e=$(date +%s%N)
echo "CHECK stop_ms=$(((e - s) / 1000000)) result=$(systemctl show -p Result --value rsagent)"
echo "CHECK done"
systemctl poweroff
SCRIPT
chmod 755 "$root/usr/local/sbin/boot-check"
cat >"$root/etc/systemd/system/boot-check.service" <<'UNIT'
[Unit]
After=rsagent.service
Wants=rsagent.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/boot-check
[Install]
WantedBy=multi-user.target
UNIT
in_root "$root" systemctl enable rsagent.service arp-at-boot.service boot-check.service >/dev/null 2>&1 ||
  fail "systemctl enable"
umount "$root/proc"

# No host systemd to register with: --register=no --keep-unit.
start=$(now_ms)
timeout 240 systemd-nspawn -D "$root" --machine="$TEST_ID" --private-network --register=no \
  --keep-unit -b -q >"$TMP/console.log" 2>&1 &
nspawn_pid=$!
on_exit "kill $nspawn_pid"
wait "$nspawn_pid" || true
log "container boot, checks and poweroff: $(($(now_ms) - start)) ms"
sed -i 's/\x1b\[[0-9;]*m//g' "$TMP/console.log"
grep -a '^CHECK ' "$TMP/console.log" >&2 || true
grep -aq '^CHECK done' "$TMP/console.log" || { tail -n 40 "$TMP/console.log" >&2; fail "the checks did not finish"; }
check() { grep -aq "^CHECK .*$1" "$TMP/console.log" || { grep -a '^JOURNAL ' "$TMP/console.log" >&2; fail "$2"; }; }

check 'health=200 ' "web never UP under the unit (probes or netsetup blocked by the sandbox?)"
check 'active=active restarts=0' "the agent restarted"
check 'vip=1' "VIP not bound on lo (CAP_NET_ADMIN, netlink)"
# A new namespace inherits IPv4 conf/all from the host: that is what boot
# must leave alone (the package's sysctl file is inactive).
host_arp=$(cat /proc/sys/net/ipv4/conf/all/arp_ignore)
check "arp_at_boot=$host_arp " "the package changed ARP at boot (its sysctl file is meant to be inactive)"
check 'arp_ignore=2 arp_announce=2' "the agent could not write the ARP sysctls"
check 'modes=750,750,600,' "state dir, runtime dir or control socket modes"
check 'drain_rc=0' "rsagent drain over the control socket"
check 'drained=1 health=503' "drain not persisted in /var/lib/rsagent or not served"
check 'reload_rc=0' "systemctl reload"
check 'after_reload=active extra=200' "systemctl reload did not apply the new config"
check 'bad_reload_rc=[1-9]' "systemctl reload succeeded with a config the agent rejects"
check 'after_bad=active extra=200' "a rejected reload stopped the agent or dropped the old config"
grep -aq '^REJECTED .*no-such-kind' "$TMP/console.log" ||
  fail "the journal does not say why the reload was rejected"
check 'prio_warning=[1-9][0-9]* info_in_warning=0 prefix_left=0' \
  "journalctl -p warning does not select by the agent's priorities (<N> prefixes)"
check 'result=success' "unclean stop"
stop_ms=$(sed -n 's/^CHECK stop_ms=\([0-9]*\).*/\1/p' "$TMP/console.log")
((stop_ms >= 900 && stop_ms < 30000)) || fail "stop took $stop_ms ms; want the 1s grace, well under TimeoutStopSec"
if grep -a '^JOURNAL ' "$TMP/console.log" | grep -aiE 'error|denied|not permitted|SIGSYS'; then
  fail "the agent logged errors under the unit"
fi
pass "hardened unit under systemd on $SUITE: UP, VIP and ARP set, drain persisted, reload applied," \
  "bad reload reported and refused, stopped in $stop_ms ms"

# Enabled by the operator (systemctl enable above), then purged: no unit link
# may be left pointing at the removed unit (deb-systemd-helper's record).
[[ -n $(find "$root/etc/systemd/system" -name rsagent.service) ]] || fail "the unit was never enabled"
apt_in_root "$root" purge rsagent
left=$(find "$root/etc/systemd" "$root/var/lib/systemd/deb-systemd-helper-enabled" \
  -name 'rsagent.service*' 2>/dev/null || true)
[[ -z $left ]] || fail "purge after systemctl enable left: $left"
pass "enabled, then purged: no unit link left behind"
