#!/usr/bin/env bash
# Persisted admin state belongs to the running agent (issue 12, items 4, 7, 8):
# - a second `rsagent run` (here with a config that lacks the drained service,
#   as an operator trying a new config would) fails before it writes anything:
#   the running agent's overrides.json is untouched and the drain survives a
#   restart;
# - a read-only state_dir is an error at start naming the path and EROFS;
# - a full state_dir at drain time: the drain is applied in memory (503) with
#   a loud NOT PERSISTED warning and exit 3; undrain is refused (exit 1);
# - a state_dir owned by uid 65534 or writable by others is refused.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd curl python3
make_tmp
make_ns sdir NS

start_tcp_acceptor "$NS" 8080
write_config() { write_agent_config "$1" "$2" "$TMP/run/control.sock" "$3"; }
write_config "$TMP/a.toml" "$TMP/state" web
write_config "$TMP/b.toml" "$TMP/state" other
H=http://127.0.0.1:9480

start_agent() {  # CONFIG LOG
  start_bg "$NS" "$2" "$RSAGENT" run -c "$1"
  AGENT_PID=$BG_PID
}
ctl() { ip netns exec "$NS" "$RSAGENT" "$@" -c "$TMP/a.toml"; }

start_agent "$TMP/a.toml" "$TMP/agent.log"
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
ctl drain web
before=$(cat "$TMP/state/overrides.json")

# Item 4: the second agent fails (its port and socket are busy too) and must
# not have rewritten the file — before, it dropped "web" (not in b.toml).
if ip netns exec "$NS" timeout 10 "$RSAGENT" run -c "$TMP/b.toml" >"$TMP/second.log" 2>&1; then
  fail "a second agent started"
fi
cat "$TMP/second.log" >&2
grep -q "belongs to a running agent (pid $AGENT_PID" "$TMP/second.log" ||
  fail "the refusal does not name the running agent: $(cat "$TMP/second.log")"
[[ $(cat "$TMP/state/overrides.json") == "$before" ]] ||
  fail "the second agent rewrote overrides.json: $(cat "$TMP/state/overrides.json")"
http_is "$NS" $H/health/web 503 || fail "the running agent no longer drains web"
kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
start_agent "$TMP/a.toml" "$TMP/agent2.log"
wait_until 5 http_is "$NS" $H/health/web 503 || fail "restarted agent not answering 503"
sleep 0.5
http_is "$NS" $H/health/web 503 || fail "the drain was lost over the restart"
pass "a second run fails first and leaves overrides.json alone; the drain survives a restart"
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true

# Item 7 at start: a read-only state_dir.
mkdir -p "$TMP/ro"
mount -t tmpfs -o size=1m,mode=0750 tmpfs "$TMP/ro"
on_exit "umount -l '$TMP/ro'"
mount -o remount,ro "$TMP/ro"
write_config "$TMP/ro.toml" "$TMP/ro" web
if ip netns exec "$NS" timeout 10 "$RSAGENT" run -c "$TMP/ro.toml" >"$TMP/ro.log" 2>&1; then
  fail "started with a read-only state_dir"
fi
cat "$TMP/ro.log" >&2
grep -q "state_dir cannot be written: open $TMP/ro/rsagent.lock: read-only file system (EROFS)" \
  "$TMP/ro.log" || fail "read-only state_dir error: $(cat "$TMP/ro.log")"
pass "read-only state_dir: refuses to start, naming the path and EROFS"

# Item 7 at drain time: the file system fills up under a running agent.
mkdir -p "$TMP/full"
mount -t tmpfs -o size=256k,mode=0750 tmpfs "$TMP/full"
on_exit "umount -l '$TMP/full'"
write_config "$TMP/full.toml" "$TMP/full" web
start_agent "$TMP/full.toml" "$TMP/full.log"
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/full.log")"
dd if=/dev/zero of="$TMP/full/filler" bs=4k 2>/dev/null || true
rc=0
ip netns exec "$NS" "$RSAGENT" drain web -c "$TMP/full.toml" >"$TMP/drain.out" 2>"$TMP/drain.err" || rc=$?
cat "$TMP/drain.out" "$TMP/drain.err" >&2
[[ $rc == 3 ]] || fail "drain on a full state_dir exited $rc, not 3"
grep -q "WARNING: NOT PERSISTED: .*no space left on device (ENOSPC)" "$TMP/drain.err" ||
  fail "no loud NOT PERSISTED warning naming ENOSPC"
http_is "$NS" $H/health/web 503 || fail "the drain was not applied"
grep -q "NOT PERSISTED" "$TMP/full.log" || fail "the agent's log does not say NOT PERSISTED"
rc=0
ip netns exec "$NS" "$RSAGENT" undrain web -c "$TMP/full.toml" 2>"$TMP/undrain.err" || rc=$?
cat "$TMP/undrain.err" >&2
[[ $rc == 1 ]] || fail "undrain on a full state_dir exited $rc, not 1"
grep -q "nothing changed: cannot persist" "$TMP/undrain.err" || fail "undrain refusal message"
http_is "$NS" $H/health/web 503 || fail "a refused undrain changed the verdict"
rm -f "$TMP/full/filler"
ip netns exec "$NS" "$RSAGENT" drain web -c "$TMP/full.toml" >/dev/null ||
  fail "drain once space is back did not persist"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["overrides"]["web"]["state"]=="drain"' \
  "$TMP/full/overrides.json" || fail "the repeated drain is not in overrides.json"
pass "full state_dir: drain applied in memory with a loud warning (exit 3), undrain refused"
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true

# Item 8: an untrusted state_dir is refused, and left as it is.
mkdir -m 0750 "$TMP/nobody" && chown 65534:65534 "$TMP/nobody"
write_config "$TMP/n.toml" "$TMP/nobody" web
if ip netns exec "$NS" timeout 10 "$RSAGENT" run -c "$TMP/n.toml" >"$TMP/n.log" 2>&1; then
  fail "started with a state_dir owned by uid 65534"
fi
grep -q "owned by uid 65534" "$TMP/n.log" || fail "owner refusal: $(cat "$TMP/n.log")"
[[ ! -e "$TMP/nobody/rsagent.lock" ]] || fail "wrote into the untrusted state_dir"
mkdir -m 0700 "$TMP/open" && chmod 0777 "$TMP/open"
write_config "$TMP/o.toml" "$TMP/open" web
if ip netns exec "$NS" timeout 10 "$RSAGENT" run -c "$TMP/o.toml" >"$TMP/o.log" 2>&1; then
  fail "started with a world-writable state_dir"
fi
grep -q "mode 0777" "$TMP/o.log" || fail "mode refusal: $(cat "$TMP/o.log")"
[[ $(stat -c %a "$TMP/open") == 777 ]] || fail "the agent chmod-ed a directory it did not create"
pass "state_dir owned by uid 65534 or mode 0777: refused, not changed"
