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
# Its probe `flag` fails while /run/rsagent-fault exists: a warning event.
cp "$root/etc/rsagent/node.toml" "$root/etc/rsagent/reloaded.toml"
cat >>"$root/etc/rsagent/reloaded.toml" <<'TOML'

[probe.flag]
type = "exec"
command = ["/usr/bin/test", "!", "-e", "/run/rsagent-fault"]
interval = "300ms"
timeout = "200ms"
rise = 1
fall = 1

[service.extra]
port = 81
probes = ["argv", "flag"]
TOML
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
pid=$(systemctl show -p MainPID --value rsagent)
echo "CHECK nice=$(cut -d" " -f19 /proc/"$pid"/stat) ionice=$(ionice -p "$pid" | tr -d ' ')" \
  "cpuweight=$(systemctl show -p CPUWeight --value rsagent)"
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
cp /etc/rsagent/node.toml /run/good.toml
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
# A warning event (a probe fails, its service goes UP -> DOWN) as journald
# holds it, in text and then in json: the host side checks PRIORITY and fields.
warning_event() {  # TAG
  t=$(wait_health extra 200)
  pid=$(systemctl show -p MainPID --value rsagent)
  touch /run/rsagent-fault
  t=$(wait_health extra 503)
  echo "CHECK $1_fault extra=$(health extra) waited_ds=$t"
  sleep 0.5
  journalctl _PID="$pid" -p warning -o json --no-pager | sed "s/^/$1 /"
  rm -f /run/rsagent-fault
}
warning_event WARNTEXT
sed 's/^\[agent\]$/[agent]\nlog_format = "json"/' /run/good.toml >/etc/rsagent/node.toml
systemctl restart rsagent; echo "CHECK json_restart_rc=$?"
warning_event WARNJSON

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
# No login prompt on the console the checks print to: agetty re-prints it
# (and hangs up the terminal) when addresses change, as the agent's restart
# below makes them, and the rest of the checks' output was lost.
in_root "$root" systemctl mask console-getty.service >/dev/null 2>&1 || fail "systemctl mask"
umount "$root/proc"

# No host systemd to register with: --register=no --keep-unit.
start=$(now_ms)
timeout 240 systemd-nspawn -D "$root" --machine="$TEST_ID" --private-network --register=no \
  --keep-unit -b -q >"$TMP/console.log" 2>&1 &
nspawn_pid=$!
on_exit "kill $nspawn_pid"
wait "$nspawn_pid" || true
log "container boot, checks and poweroff: $(($(now_ms) - start)) ms"
sed -i 's/\x1b\[[0-9;]*[A-Za-z]//g' "$TMP/console.log"  # colours, erase-line
grep -a '^CHECK ' "$TMP/console.log" >&2 || true
grep -aq '^CHECK done' "$TMP/console.log" || { tail -n 40 "$TMP/console.log" >&2; fail "the checks did not finish"; }
check() { grep -aq "^CHECK .*$1" "$TMP/console.log" || { grep -a '^JOURNAL ' "$TMP/console.log" >&2; fail "$2"; }; }

check 'health=200 ' "web never UP under the unit (probes or netsetup blocked by the sandbox?)"
check 'active=active restarts=0' "the agent restarted"
check 'nice=-5 ionice=best-effort:prio0 cpuweight=1000' \
  "the unit's CPU and I/O priority (Nice=-5, IOSchedulingClass=best-effort 0, CPUWeight=1000) not applied"
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
check 'WARNTEXT_fault extra=503' "the flag probe did not take service extra DOWN"
check 'json_restart_rc=0' "restart with log_format = json"
check 'WARNJSON_fault extra=503' "the flag probe did not take service extra DOWN (json)"
python3 - "$TMP/console.log" <<'PY' || fail "the warning events are not in the journal as expected"
import json, sys
entries = {"WARNTEXT": [], "WARNJSON": []}
for line in open(sys.argv[1], errors="replace"):
    tag, _, rest = line.rstrip("\n").partition(" ")
    if tag in entries:
        entries[tag].append(json.loads(rest))
def one(tag, what, pred):
    got = [e for e in entries[tag] if pred(e)]
    if not got:
        sys.exit(f"{tag}: no {what} in journalctl -p warning; entries: "
                 + "; ".join(str(e.get("MESSAGE")) for e in entries[tag]))
    return got[0]
for tag, es in entries.items():
    for e in es:  # -p warning: nothing below warning, all from the unit
        if int(e["PRIORITY"]) > 4 or e.get("_SYSTEMD_UNIT") != "rsagent.service":
            sys.exit(f"{tag}: {e.get('PRIORITY')} {e.get('_SYSTEMD_UNIT')}: {e.get('MESSAGE')}")
e = one("WARNTEXT", "service extra UP -> DOWN",
        lambda e: e["MESSAGE"].startswith("warning: service extra UP -> DOWN (was UP for "))
assert e["PRIORITY"] == "4" and "flag" in e["MESSAGE"], e
assert e.get("SYSLOG_IDENTIFIER") == "rsagent", e
one("WARNTEXT", "probe flag UP -> DOWN",
    lambda e: e["MESSAGE"].startswith("warning: probe flag UP -> DOWN") and e["PRIORITY"] == "4")
def ecs(e):
    try:
        return json.loads(e["MESSAGE"])
    except ValueError:
        sys.exit(f"WARNJSON: MESSAGE is not one JSON object: {e['MESSAGE']!r}")
for e in entries["WARNJSON"]:
    ecs(e)
e = one("WARNJSON", "service-state-change of extra",
        lambda e: ecs(e).get("event.action") == "service-state-change"
        and ecs(e).get("rsagent.service") == "extra")
m = ecs(e)
assert e["PRIORITY"] == "4", e
assert m["log.level"] == "warn" and m["rsagent.from"] == "UP" and m["rsagent.to"] == "DOWN", m
assert "flag" in m["rsagent.reason"] and m["@timestamp"].endswith("Z"), m
assert m["rsagent.previous_state_seconds"] > 0, m
e = one("WARNJSON", "probe-state-change of flag",
        lambda e: ecs(e).get("event.action") == "probe-state-change"
        and ecs(e).get("rsagent.probe") == "flag")
assert e["PRIORITY"] == "4", e
print("journal: warning events with PRIORITY=4, text and ECS json fields as expected")
PY
pass "journalctl -p warning: the service and probe warning events, PRIORITY=4, in text and json"
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
