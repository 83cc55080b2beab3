#!/usr/bin/env bash
# The .rpm built from this build tree, installed with rpm (--nodeps: the
# root is Debian, its libraries are not in an rpm database) into a fresh
# root so its scriptlets run chrooted: files and modes, the state directory
# from %post; an upgrade keeps an edited config (%config(noreplace)) and the
# drain state; erase keeps state that exists and otherwise leaves nothing.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/packages.sh"

require_root
require_cmd cpack rpm rpmbuild debootstrap chroot umount curl
make_tmp
require_mirror

rpm1=$(build_package RPM "$TMP/out1")
rpm2=$(build_package RPM "$TMP/out2" 99)
root="$TMP/root"
make_debian_root "$root"
rpm_in_root() {
  rpm --root "$root" "$@" >>"$TMP/rpm.log" 2>&1 || { cat "$TMP/rpm.log" >&2; fail "rpm $*"; }
}
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/rpm -o \
    -path ./var/lib/apt -o -path ./var/cache/apt -o -path ./var/log \) -prune -o -print | sort)
}
rpm_in_root --initdb
# RHEL's filesystem package owns /etc/sysconfig; the Debian root has none.
mkdir -p "$root/etc/sysconfig"
# The scriptlets are RHEL 9's %systemd_* macros, expanded: they call
# systemd-update-helper, which Debian's systemd lacks. A stand-in records the
# calls, so the test sees which the scriptlets make when; what the helper
# then does is systemd's (presets, disable --now, restart of marked units).
mkdir -p "$root/usr/lib/systemd"
cat >"$root/usr/lib/systemd/systemd-update-helper" <<'SH'
#!/bin/sh
echo "$*" >>/var/log/update-helper.log
SH
chmod 755 "$root/usr/lib/systemd/systemd-update-helper"
helper_calls() { tr '\n' ';' <"$root/var/log/update-helper.log"; }
snapshot >"$TMP/before.txt"

rpm_in_root -i --nodeps "$rpm1"
expected="755 root:root /usr/sbin/rsagent
755 root:root /usr/bin/rsagent-check
644 root:root /etc/rsagent/rsagent.toml
644 root:root /etc/sysconfig/rsagent
644 root:root /usr/lib/systemd/system/rsagent.service
644 root:root /usr/share/rsagent/sysctl/90-rsagent-arp.conf
750 root:root /var/lib/rsagent"
mapfile -t paths < <(cut -d' ' -f3 <<<"$expected" | sed 's|^/||')
actual=$(cd "$root" && stat -c '%a %U:%G /%n' "${paths[@]}")
[[ $actual == "$expected" ]] || fail "modes differ:
$(diff <(echo "$expected") <(echo "$actual"))"
owner=$(rpm --root "$root" -qf /var/lib/rsagent 2>&1) || fail "/var/lib/rsagent is not the package's: $owner"
rpm --root "$root" -qc rsagent | grep -qx /etc/sysconfig/rsagent || fail "/etc/sysconfig/rsagent is not %config"
[[ $(helper_calls) == "install-system-units rsagent.service;" ]] ||
  fail "%post (%systemd_post) called: $(helper_calls)"
pass "installed: files and modes as declared, /var/lib/rsagent owned by $owner, %systemd_post applied the presets"

echo '# edited by the operator' >>"$root/etc/rsagent/rsagent.toml"
cp "$root/etc/rsagent/rsagent.toml" "$TMP/edited.toml"
echo '{"web":"drain"}' >"$root/var/lib/rsagent/overrides.json"
rpm_in_root -U --nodeps "$rpm2"
[[ $(rpm --root "$root" -q --qf '%{RELEASE}' rsagent) == 99 ]] || fail "upgrade did not install release 99"
cmp -s "$TMP/edited.toml" "$root/etc/rsagent/rsagent.toml" || fail "upgrade replaced the edited config"
[[ $(cat "$root/var/lib/rsagent/overrides.json") == '{"web":"drain"}' ]] || fail "upgrade lost the drain state"
[[ $(helper_calls) == "install-system-units rsagent.service;mark-restart-system-units rsagent.service;" ]] ||
  fail "upgrade: the scriptlets called $(helper_calls); want only %systemd_postun_with_restart's mark-restart"
pass "upgrade kept the edited config and the drain state; the old %postun marked the unit for restart"

# Erase: RPM has no purge, so existing state and the edited config stay
# (as .rpmsave); with neither, nothing is left.
rpm_in_root -e rsagent
[[ $(helper_calls) == *";remove-system-units rsagent.service;" ]] ||
  fail "erase: %preun (%systemd_preun) called $(helper_calls)"
[[ -f $root/var/lib/rsagent/overrides.json ]] || fail "erase dropped the drain state"
[[ -f $root/etc/rsagent/rsagent.toml.rpmsave ]] || fail "erase dropped the edited config"
rm -r "$root/var/lib/rsagent" "$root/etc/rsagent"
rpm_in_root -i --nodeps "$rpm1"
rpm_in_root -e rsagent
left=$(diff "$TMP/before.txt" <(snapshot)) || fail "erase left a difference:
$left"
pass "erase kept state and the edited config; an untouched install leaves nothing"
