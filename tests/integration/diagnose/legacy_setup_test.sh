#!/usr/bin/env bash
# `rsagent diagnose`'s legacy check on real files (issue 15 item 5): the
# seed's manual DR set-ups written where the distros keep them — RHEL's
# ifcfg-lo:0 and a NetworkManager keyfile, Debian's /etc/network/interfaces,
# Ubuntu's netplan, ARP lines in /etc/sysctl.conf — into an overlay on /etc
# in a private mount and network namespace (the host's /etc is untouched;
# the overlay goes with the namespace). Each must be reported with its file,
# line and fix, the fix texts naming the files the packages ship. ~1 s.
source "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd unshare mount
make_tmp

mkdir -p "$TMP/up" "$TMP/work"
# The shipped web node example: VIP 192.168.1.100 (only read, never addressed).
config="$RSAGENT_SOURCE_DIR/conf/examples/web-node.toml"
cat >"$TMP/run.sh" <<'SH'
set -eu
tmp=$1 config=$2
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/up,workdir=$tmp/work" /etc
rm -rf /etc/sysctl.d/* /etc/network /etc/netplan /etc/sysconfig /etc/NetworkManager
mkdir -p /etc/sysconfig/network-scripts /etc/network /etc/netplan \
  /etc/NetworkManager/system-connections
printf 'DEVICE=lo:0\nIPADDR=192.168.1.100\nNETMASK=255.255.255.255\nONBOOT=yes\n' \
  >/etc/sysconfig/network-scripts/ifcfg-lo:0
printf 'DEVICE=lo:1\nIPADDR=192.168.1.101\nNETMASK=255.255.255.0\n' \
  >/etc/sysconfig/network-scripts/ifcfg-lo:1
printf '[connection]\nid=lo-vip\ntype=loopback\ninterface-name=lo\n\n[ipv4]\naddress1=192.168.1.102/32\nmethod=manual\n' \
  >/etc/NetworkManager/system-connections/lo-vip.nmconnection
printf 'auto lo:0\niface lo:0 inet static\n    address 192.168.1.103\n    netmask 255.255.255.255\n' \
  >/etc/network/interfaces
printf 'network:\n  version: 2\n  ethernets:\n    lo:\n      addresses: [192.168.1.104/32]\n' \
  >/etc/netplan/01-vip.yaml
printf 'net.ipv4.conf.all.arp_ignore = 1\nnet.ipv4.conf.all.arp_announce = 0\n' \
  >/etc/sysctl.conf
rc=0
"$RSAGENT" diagnose -c "$config" >"$tmp/out.txt" 2>&1 || rc=$?
echo "rc=$rc" >>"$tmp/out.txt"
SH
unshare --mount --net --propagation private -- bash "$TMP/run.sh" "$TMP" "$config" ||
  fail "the namespace run failed"
out=$(grep -A1 '^[A-Z]*  *legacy' "$TMP/out.txt" || true)
log "diagnose's legacy lines:
$out"
[[ -e /etc/sysconfig/network-scripts/ifcfg-lo:0 ]] && fail "the host's /etc was written"

expect() {  # LEVEL TEXT...: a legacy line of that level containing TEXT
  local level=$1
  shift
  grep -E "^$level +legacy " "$TMP/out.txt" | grep -qF -- "$*" ||
    fail "no $level legacy line with '$*' in:
$(cat "$TMP/out.txt")"
}
expect WARN "/etc/sysconfig/network-scripts/ifcfg-lo:0:2: lo:0 192.168.1.100/32 (network-scripts) binds a VIP rsagent also manages"
expect FAIL "/etc/sysconfig/network-scripts/ifcfg-lo:1"
expect FAIL "192.168.1.101/24"
expect WARN "/etc/NetworkManager/system-connections/lo-vip.nmconnection"
expect WARN "/etc/network/interfaces"
expect WARN "/etc/netplan/01-vip.yaml"
expect PASS "/etc/sysctl.conf:1: net.ipv4.conf.all.arp_ignore = 1"
expect FAIL "/etc/sysctl.conf:2: net.ipv4.conf.all.arp_announce = 0"
pass "every legacy set-up found, with file and line: ifcfg-lo:N (a /24 is a FAIL), NM keyfile, interfaces, netplan, sysctl.conf (a weaker ARP line is a FAIL)"
grep -qF "rm /etc/sysconfig/network-scripts/ifcfg-lo:0" "$TMP/out.txt" || fail "no fix for ifcfg-lo:0"
grep -qF "/usr/share/doc/rsagent/migrating.md" "$TMP/out.txt" || fail "the fix does not point at migrating.md"
# The paths the fix texts name are the ones the packages install.
for shipped in $(grep -o '/usr/share/[a-z/]*rsagent[^ )"]*' "$TMP/out.txt" | sort -u); do
  rel=${shipped#/usr/share/}
  case $rel in
    doc/rsagent/migrating.md) src=docs/migrating.md ;;
    rsagent/sysctl/*) src=packaging/sysctl/${rel##*/} ;;
    *) fail "diagnose names $shipped, which no install rule here ships" ;;
  esac
  [[ -f $RSAGENT_SOURCE_DIR/$src ]] || fail "diagnose names $shipped but $src does not exist"
  grep -rqF "${shipped%/*}" "$RSAGENT_SOURCE_DIR/packaging/rsagent-packages.cmake" ||
    grep -rqF "${rel%/*}" "$RSAGENT_SOURCE_DIR/packaging/rsagent-packages.cmake" ||
    fail "packaging/rsagent-packages.cmake installs nothing into ${shipped%/*}"
done
grep -q '^rc=[1-9]' "$TMP/out.txt" || fail "diagnose exited 0 with FAILs"
pass "fixes name the ifcfg file to remove and migrating.md; diagnose exits non-zero"
