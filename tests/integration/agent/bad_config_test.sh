#!/usr/bin/env bash
# Bad input never starts anything: for each broken config, `rsagent run`
# exits non-zero at once with FILE:LINE:COL errors naming the key, and the
# health port is never opened. `check-config` reports the same errors.
source "$(dirname "$0")/../lib/common.sh"
require_root
make_tmp
make_ns bad NS

GOOD='[probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]
[service.web]
port = 80
probes = ["p"]
'
declare -A CASES EXPECT
CASES[malformed]='[agent
listen = "127.0.0.1:9480"'
EXPECT[malformed]='malformed.toml:1:'
CASES[unknown-key]="[agent]
listen = \"127.0.0.1:9480\"
listne = \"x\"
$GOOD"
EXPECT[unknown-key]='unknown-key.toml:3:1: agent.listne'
CASES[wrong-type]="[agent]
listen = \"127.0.0.1:9480\"
$GOOD
[probe.q]
type = \"tcp\"
targets = [\"127.0.0.1:81\"]
rise = \"2\""
EXPECT[wrong-type]='wrong-type.toml:13:8: probe.q.rise'
CASES[duplicate]="[agent]
listen = \"127.0.0.1:9480\"
$GOOD
[probe.p]
type = \"tcp\"
targets = [\"127.0.0.1:81\"]"
EXPECT[duplicate]='duplicate.toml:10:'
CASES[missing-probe]="[agent]
listen = \"127.0.0.1:9480\"
$GOOD
[service.db]
port = 3306
probes = [\"nope\"]"
EXPECT[missing-probe]='missing-probe.toml:12:11: service.db.probes[0]: no probe named "nope"'
CASES[port70000]="[agent]
listen = \"127.0.0.1:9480\"
$GOOD
[service.db]
port = 70000
probes = [\"p\"]"
EXPECT[port70000]='port70000.toml:11:8: service.db.port: 70000 is out of range'

listening() { ip netns exec "$NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9480' 2>/dev/null; }

for name in "${!CASES[@]}"; do
  f="$TMP/$name.toml"
  printf '%s\n' "${CASES[$name]}" >"$f"
  rc=0
  out=$(timeout 10 ip netns exec "$NS" "$RSAGENT" run -c "$f" 2>&1) || rc=$?
  ((rc == 1)) || fail "$name: run exited $rc (want 1): $out"
  grep -qF "$f:${EXPECT[$name]#*.toml:}" <<<"$out" ||
    fail "$name: expected '$f:${EXPECT[$name]#*.toml:}' in: $out"
  listening && fail "$name: the health port is open"
  rc=0
  ip netns exec "$NS" "$RSAGENT" check-config -c "$f" >/dev/null 2>&1 || rc=$?
  ((rc == 1)) || fail "$name: check-config exited $rc"
  pass "$name: $(grep -F "$f:" <<<"$out" | head -1)"
done

# An unreadable file: a clear reason, exit 1, nothing started.
rc=0
out=$("$RSAGENT" run -c "$TMP/does-not-exist.toml" 2>&1) || rc=$?
((rc == 1)) && grep -q "does-not-exist.toml: .*No such file" <<<"$out" || fail "missing file: rc=$rc $out"
pass "missing file: $out"
chmod 000 "$TMP/malformed.toml"
rc=0
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$RSAGENT" check-config -c "$TMP/malformed.toml" 2>&1) || rc=$?
((rc == 1)) && grep -qi "permission denied" <<<"$out" || fail "unreadable file: rc=$rc $out"
pass "unreadable file: $out"
