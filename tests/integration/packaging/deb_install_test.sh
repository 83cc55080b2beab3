#!/usr/bin/env bash
# The .deb built from this build tree, installed with apt into a fresh
# Debian 12 root (debootstrap minbase + chroot; deb_install_trixie_test.sh:
# Debian 13, the same .deb): apt resolves the computed
# dependencies, the binary runs, the shipped config checks, files and modes
# are as declared; an upgrade to a rebuilt package keeps a modified config
# and the drain state; purge leaves nothing the package made behind.
#
# Needs the Debian mirror of the host's apt sources; the root comes from
# the shared cache of lib/rootfs.sh.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/packages.sh"

require_root
require_cmd cpack debootstrap chroot mount mountpoint umount curl
make_tmp

require_mirror "$SUITE"

start=$(now_ms)
deb1=$(build_package DEB "$TMP/out1")
deb2=$(build_package DEB "$TMP/out2" 99)
log "built $(basename "$deb1") and $(basename "$deb2") in $(($(now_ms) - start)) ms"

root="$TMP/root"
make_debian_root "$root"
cp "$deb1" "$deb2" "$root/tmp/"
# Everything but the package manager's own records, caches and logs (trixie's
# debconf leaves its tmp.ci directory behind after any install).
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/dpkg -o \
    -path ./var/lib/apt -o -path ./var/cache/apt -o -path ./var/cache/debconf -o \
    -path ./var/log \) -prune -o -print | sort)
}

snapshot >"$TMP/before.txt"

start=$(now_ms)
apt_in_root "$root" install "/tmp/$(basename "$deb1")"
log "apt-get install of the .deb with its dependencies: $(($(now_ms) - start)) ms"
version=$(in_root "$root" rsagent --version) || fail "rsagent --version"
[[ $version == "rsagent $("$RSAGENT" --version | cut -d' ' -f2)" ]] || fail "version: $version"
missing=$(in_root "$root" ldd /usr/sbin/rsagent | grep 'not found' || true)
[[ -z $missing ]] || fail "libraries apt did not bring: $missing"
checked=$(in_root "$root" rsagent check-config 2>&1) || fail "check-config on the shipped config: $checked"
[[ $checked == "/etc/rsagent/rsagent.toml: OK "*" 0 VIPs)" ]] || fail "check-config: $checked"
for example in web-node db-node; do
  in_root "$root" rsagent check-config -c "/usr/share/doc/rsagent/examples/$example.toml" >/dev/null ||
    fail "example $example.toml does not check"
done
pass "installed on $SUITE: $version, $checked"
# Not enabled on install (packaging/README.md), only recorded for purge.
links=$(find "$root/etc/systemd" -name rsagent.service 2>/dev/null || true)
[[ -z $links ]] || fail "install enabled the unit: $links"

expected="755 root:root /usr/sbin/rsagent
755 root:root /usr/bin/rsagent-check
644 root:root /etc/rsagent/rsagent.toml
644 root:root /etc/default/rsagent
644 root:root /usr/lib/systemd/system/rsagent.service
644 root:root /usr/share/rsagent/sysctl/90-rsagent-arp.conf
644 root:root /usr/share/man/man8/rsagent.8.gz
644 root:root /usr/share/man/man5/rsagent.toml.5.gz
644 root:root /usr/share/man/man1/rsagent-check.1.gz
644 root:root /usr/share/doc/rsagent/copyright
644 root:root /usr/share/doc/rsagent/migrating.md
644 root:root /usr/share/doc/rsagent/changelog.Debian.gz
644 root:root /usr/share/doc/rsagent/examples/web-node.toml
644 root:root /usr/share/doc/rsagent/examples/db-node.toml
644 root:root /usr/share/doc/rsagent/examples/keepalived-director-a.conf
644 root:root /usr/share/doc/rsagent/examples/keepalived-director-b.conf
644 root:root /usr/share/doc/rsagent/examples/galera-node.toml
644 root:root /usr/share/doc/rsagent/examples/keepalived-director-galera.conf
644 root:root /usr/share/doc/rsagent/examples/group-replication-node.toml
644 root:root /usr/share/doc/rsagent/examples/keepalived-director-group-replication.conf
644 root:root /usr/share/rsagent/prometheus/rsagent-rules.yml
644 root:root /usr/share/rsagent/grafana/rsagent-dashboard.json
750 root:root /var/lib/rsagent"
mapfile -t paths < <(cut -d' ' -f3 <<<"$expected")
actual=$(in_root "$root" stat -c '%a %U:%G %n' "${paths[@]}") || fail "missing files"
[[ $actual == "$expected" ]] || fail "modes differ:
$(diff <(echo "$expected") <(echo "$actual"))"
pass "files and modes as declared"
# Every path diagnose's fix texts name is one the package installed.
for shipped in $(grep -o '"/usr/share/[^"]*"' "$RSAGENT_SOURCE_DIR/diagnose/shipped_files.h" | tr -d '"'); do
  [[ -f $root$shipped ]] || fail "diagnose points at $shipped, which the package does not install"
done

# An operator's edit and a drain flag the agent persisted.
echo '# edited by the operator' >>"$root/etc/rsagent/rsagent.toml"
cp "$root/etc/rsagent/rsagent.toml" "$TMP/edited.toml"
echo '{"web":"drain"}' >"$root/var/lib/rsagent/overrides.json"
start=$(now_ms)
apt_in_root "$root" install "/tmp/$(basename "$deb2")"
log "upgrade: $(($(now_ms) - start)) ms"
upgraded=$(in_root "$root" dpkg-query -W -f='${Version}' rsagent)
[[ $upgraded == *-99 ]] || fail "upgrade installed $upgraded"
cmp -s "$TMP/edited.toml" "$root/etc/rsagent/rsagent.toml" || fail "upgrade replaced the edited config"
[[ $(cat "$root/var/lib/rsagent/overrides.json") == '{"web":"drain"}' ]] || fail "upgrade lost the drain state"
[[ $(stat -c %a "$root/var/lib/rsagent") == 750 ]] || fail "upgrade changed the state directory"
pass "upgrade to $upgraded kept the edited config and the drain state"

# Purge: everything the package and apt brought goes; a file the operator
# put in /etc/rsagent stays.
echo '[client]' >"$root/etc/rsagent/mysql.cnf"
start=$(now_ms)
# Trixie's libc6 and libudev1 recommend or suggest libidn2-0, which libcurl
# brought in: autoremove keeps it for them by default. It is not the
# package's, so the comparison purges without that policy.
apt_in_root "$root" purge --autoremove -o APT::AutoRemove::RecommendsImportant=false \
  -o APT::AutoRemove::SuggestsImportant=false rsagent
log "purge with --autoremove: $(($(now_ms) - start)) ms"
[[ -f $root/etc/rsagent/mysql.cnf ]] || fail "purge removed the operator's mysql.cnf"
rm -r "$root/etc/rsagent"
snapshot >"$TMP/after.txt"
left=$(diff "$TMP/before.txt" "$TMP/after.txt") || fail "purge left a difference:
$left"
pass "purge left nothing behind (and kept the operator's own file)"
