#!/usr/bin/env bash
# The .deb and .rpm built from this build tree: lintian and rpmlint find no
# errors, dependencies are the ones computed from the binary, the config is a
# conffile and valid, the man pages match the CLI and the config reference,
# systemd-analyze verifies the unit; prints its exposure before/after hardening.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/packages.sh"

require_cmd cpack dpkg-deb lintian rpm rpmbuild rpmlint systemd-analyze man readelf
make_tmp

start=$(now_ms)
deb=$(build_package DEB "$TMP/out")
rpm=$(build_package RPM "$TMP/out")
log "built $(basename "$deb") and $(basename "$rpm") in $(($(now_ms) - start)) ms"
stage="$TMP/stage"
dpkg-deb -x "$deb" "$stage"

# lintian: any error fails; warnings are printed (packaging/README.md says why
# each one stays).
lintian --fail-on error "$deb" >"$TMP/lintian.txt" 2>&1 ||
  { cat "$TMP/lintian.txt" >&2; fail "lintian found errors"; }
log "lintian: $(grep -c '^W: ' "$TMP/lintian.txt" || true) warnings, no errors"
grep '^W: ' "$TMP/lintian.txt" >&2 || true

rpmlint -c "$RSAGENT_SOURCE_DIR/packaging/rpm/rpmlint.toml" "$rpm" >"$TMP/rpmlint.txt" 2>&1 || {
  cat "$TMP/rpmlint.txt" >&2
  fail "rpmlint found errors"
}
grep -q ' 0 errors' "$TMP/rpmlint.txt" || { cat "$TMP/rpmlint.txt" >&2; fail "rpmlint summary"; }
grep ': [WE]: ' "$TMP/rpmlint.txt" >&2 || true
pass "lintian and rpmlint: no errors"

# Dependencies, computed: rpm's autoreq lists every library the packaged
# binary needs; dpkg-shlibdeps named their packages (deb_install_test shows
# apt resolves them in a root that has none of them).
depends=$(dpkg-deb -f "$deb" Depends)
requires=$(rpm -qpR "$rpm")
log "Depends: $depends"
for soname in $(readelf -d "$stage/usr/sbin/rsagent" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  grep -qxF "$soname()(64bit)" <<<"$requires" || fail "$soname missing from the RPM's Requires"
done
[[ $depends == *libnl-route-3-200* && $depends == *libmariadb3* ]] || fail "Depends: $depends"
pass "Requires covers every NEEDED library; Depends from dpkg-shlibdeps"

# The config: a conffile, noreplace in the RPM, valid, and safe (no VIPs).
dpkg-deb -I "$deb" conffiles | grep -qx /etc/rsagent/rsagent.toml || fail "not a conffile"
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm" | grep -qx 'cn /etc/rsagent/rsagent.toml' ||
  fail "not %config(noreplace) in the RPM"
checked=$("$RSAGENT" check-config -c "$stage/etc/rsagent/rsagent.toml") || fail "shipped config: $checked"
[[ $checked == *" 0 VIPs)" ]] || fail "shipped config manages VIPs: $checked"
pass "shipped config: $checked"

# Man pages: clean for man --warnings, every CLI command in rsagent(8)'s
# synopsis, every key of conf/README.md in rsagent.toml(5), rsagent-check's
# usage words in rsagent-check(1)'s synopsis.
: >"$TMP/man-warnings.txt"
render() { MANWIDTH=250 MANROFFOPT=-rHY=0 man --warnings -l "$1" 2>>"$TMP/man-warnings.txt"; }
render "$stage/usr/share/man/man8/rsagent.8.gz" >"$TMP/rsagent.8.txt"
render "$stage/usr/share/man/man5/rsagent.toml.5.gz" >"$TMP/man5.txt"
render "$stage/usr/share/man/man1/rsagent-check.1.gz" >"$TMP/rsagent-check.1.txt"
[[ ! -s $TMP/man-warnings.txt ]] || { cat "$TMP/man-warnings.txt" >&2; fail "man warnings"; }
check_usage=$("$stage/usr/bin/rsagent-check" 2>&1 >/dev/null | sed -n 's/^usage: rsagent-check //p') || true
[[ -n $check_usage ]] || fail "rsagent-check printed no usage line"
check_synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$TMP/rsagent-check.1.txt")
for word in $(tr -d '[]' <<<"$check_usage"); do
  grep -qF -- "$word" <<<"$check_synopsis" ||
    fail "rsagent-check(1) synopsis lacks '$word' (its usage has it)"
done
synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$TMP/rsagent.8.txt")
for cmd in $("$RSAGENT" --help | awk '/^commands:/ {f = 1; next} f && /^  [a-z-]/ {print $1}'); do
  grep -qw -- "$cmd" <<<"$synopsis" || fail "rsagent(8) synopsis lacks '$cmd' (rsagent --help has it)"
done
for key in $(sed -n 's/^| `\([a-z_]*\)`.*/\1/p' "$RSAGENT_SOURCE_DIR/conf/README.md"); do
  grep -qw -- "$key" "$TMP/man5.txt" || fail "rsagent.toml(5) lacks key '$key' (conf/README.md has it)"
done
pass "man pages match rsagent --help, conf/README.md and rsagent-check's usage"

# The unit, verified against the packaged binary and man pages (systemd is
# not PID 1 here: offline checks only).
unit="$stage/usr/lib/systemd/system/rsagent.service"
mkdir -p "$TMP/verify" "$TMP/before"
sed "s|/usr/sbin/rsagent|$stage/usr/sbin/rsagent|" "$unit" >"$TMP/verify/rsagent.service"
MANPATH="$stage/usr/share/man" systemd-analyze verify "$TMP/verify/rsagent.service" \
  >"$TMP/verify.txt" 2>&1 || { cat "$TMP/verify.txt" >&2; fail "systemd-analyze verify"; }
[[ ! -s $TMP/verify.txt ]] || { cat "$TMP/verify.txt" >&2; fail "systemd-analyze verify warned"; }
pass "systemd-analyze verify: clean"

# Exposure: the same unit with only what runs the agent, against the shipped one.
running='Description|Documentation|After|Type|ExecStart|ExecReload|Restart|RestartSec|TimeoutStopSec|WantedBy'
grep -E "^(\[|($running)=)" "$unit" >"$TMP/before/rsagent.service"
exposure() {
  systemd-analyze security --offline=true "$1" 2>&1 |
    sed -n 's/.*Overall exposure level for rsagent.service: \([0-9.]*\).*/\1/p'
}
before=$(exposure "$TMP/before/rsagent.service")
after=$(exposure "$unit")
[[ -n $before && -n $after ]] || fail "no exposure score from systemd-analyze security"
log "systemd-analyze security --offline: exposure $before before hardening, $after after"
awk -v b="$before" -v a="$after" 'BEGIN {exit !(a < b && a <= 3.0)}' ||
  fail "exposure $after: want <= 3.0 and below $before"
pass "hardened unit: exposure $after (was $before)"
