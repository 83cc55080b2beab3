#!/usr/bin/env bash
# The control socket's directory is trusted or refused (issue 12, item 8).
# The attack: control_socket in a directory uid 65534 owns. Before, the agent
# started there (and chmod-ed it 0750, still theirs), so uid 65534 could
# replace the socket and answer root's `rsagent drain web` with "web: drain"
# while the real agent kept serving 200. Now the agent refuses that
# directory, and the CLI refuses an answer from a server that is not root.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd curl python3 setpriv
make_tmp
make_ns strust NS
start_tcp_acceptor "$NS" 8080
H=http://127.0.0.1:9480

mkdir -m 0755 "$TMP/theirs" && chown 65534:65534 "$TMP/theirs"
write_agent_config "$TMP/theirs.toml" "$TMP/state" "$TMP/theirs/control.sock" web
if ip netns exec "$NS" timeout 10 "$RSAGENT" run -c "$TMP/theirs.toml" >"$TMP/theirs.log" 2>&1; then
  fail "the agent started with its socket in a directory of uid 65534"
fi
cat "$TMP/theirs.log" >&2
grep -q "control socket directory\|owned by uid 65534" "$TMP/theirs.log" ||
  fail "refusal does not name the owner: $(cat "$TMP/theirs.log")"
[[ $(stat -c %a "$TMP/theirs") == 755 ]] || fail "the agent chmod-ed a directory it did not create"
pass "control socket in a directory owned by uid 65534: refused, directory unchanged"

# The CLI side: uid 65534 serves a fake agent there.
start_bg "$NS" "$TMP/fake.log" setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)
print("ready", flush=True)
while True:
    c = s.accept()[0]; c.recv(4096); c.sendall(b"{\"ok\":true,\"message\":\"web: drain\"}\n"); c.close()
' "$TMP/theirs/control.sock"
wait_until 5 grep -q ready "$TMP/fake.log" || fail "fake server: $(cat "$TMP/fake.log")"
if out=$(ip netns exec "$NS" "$RSAGENT" drain web -c "$TMP/theirs.toml" 2>&1); then
  fail "root's drain trusted uid 65534's fake agent: $out"
fi
echo "$out" >&2
grep -q "served by uid 65534" <<<"$out" || fail "the CLI's refusal does not say who serves: $out"
pass "root's CLI refuses the answer of a socket served by uid 65534"

# A sticky shared directory (/tmp's mode) is accepted and left as it is.
mkdir "$TMP/sticky" && chmod 1777 "$TMP/sticky"
write_agent_config "$TMP/sticky.toml" "$TMP/state" "$TMP/sticky/control.sock" web
start_bg "$NS" "$TMP/sticky.log" "$RSAGENT" run -c "$TMP/sticky.toml"
wait_until 5 http_is "$NS" $H/health/web 200 || fail "agent with a sticky socket dir: $(cat "$TMP/sticky.log")"
ip netns exec "$NS" "$RSAGENT" status -c "$TMP/sticky.toml" >/dev/null || fail "status via the sticky dir"
[[ $(stat -c %a "$TMP/sticky") == 1777 ]] || fail "the sticky directory was chmod-ed: $(stat -c %a "$TMP/sticky")"
[[ $(stat -c %a "$TMP/sticky/control.sock") == 600 ]] || fail "socket mode"
pass "sticky shared socket directory (1777) accepted and not chmod-ed; socket 0600"
