#!/usr/bin/env bash
# Reload applies every [agent] key live or refuses the whole reload naming
# each restart-only key (issue 12, item 5). Before, a reload "succeeded" and
# silently kept allow, state_dir, log_level, control_socket, http_threads.
# - allow: revoking 127.0.0.0/8 makes /status 403 without a restart, and
#   the agent-check port (HAProxy) closes without an answer too;
# - log_level: "error" silences the next reload's info line, "info" restores it;
# - state_dir (restart-only) changed together with a new service: exit 1,
#   the error names agent.state_dir, and the new service is not applied.
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/agent.sh"
require_root
require_cmd curl python3
make_tmp
make_ns rkeys NS
start_tcp_acceptor "$NS" 8080
H=http://127.0.0.1:9480

write_config() {  # AGENT_EXTRA [TOML_EXTRA]
  write_agent_config "$TMP/rsagent.toml" "$TMP/state" "$TMP/run/control.sock" web "${2:-}"
  EXTRA="$1" python3 -c 'import os, sys
p = sys.argv[1]; t = open(p).read()
open(p, "w").write(t.replace("[agent]\n", "[agent]\n" + os.environ["EXTRA"] + "\n", 1))' "$TMP/rsagent.toml"
  printf '%s\n' '/^\[agent\]$/a agent_check_listen = "127.0.0.1:9481"' | sed -i -f - "$TMP/rsagent.toml"
}
agent_check() {  # what the agent-check port answers for "web" (empty: closed without one)
  ip netns exec "$NS" timeout 5 python3 -c 'import socket
s = socket.create_connection(("127.0.0.1", 9481), timeout=3); s.sendall(b"web\n")
print(s.recv(256).decode(), end="")'
}
ctl() { ip netns exec "$NS" "$RSAGENT" "$@" -c "$TMP/rsagent.toml"; }

write_config 'allow = ["127.0.0.0/8"]'
start_bg "$NS" "$TMP/agent.log" "$RSAGENT" run -c "$TMP/rsagent.toml"
wait_until 5 http_is "$NS" $H/health/web 200 || fail "web never UP: $(cat "$TMP/agent.log")"
http_is "$NS" $H/status 200 || fail "/status not allowed at start"
[[ $(agent_check) == "up ready 100%" ]] || fail "agent-check at start: '$(agent_check)'"

write_config 'allow = ["10.0.0.0/8"]'
ctl reload || fail "reload of allow failed"
http_is "$NS" $H/status 403 || fail "/status still $(http_code "$NS" $H/status) after revoking 127.0.0.0/8"
http_is "$NS" $H/health/web 200 || fail "/health must stay open"
[[ -z $(agent_check) ]] || fail "agent-check still answers a peer outside allow: '$(agent_check)'"
pass "allow revoked by reload: /status 403 and agent-check closed without a restart"

write_config 'allow = ["127.0.0.0/8"]
log_level = "error"'
ctl reload || fail "reload of log_level failed"
lines=$(grep -c "reloaded " "$TMP/agent.log")
ctl reload || fail "second reload failed"
[[ $(grep -c "reloaded " "$TMP/agent.log") == "$lines" ]] || fail "log_level error still logs info lines"
write_config 'allow = ["127.0.0.0/8"]'
ctl reload || fail "reload back to info failed"
ctl reload || fail "reload at info failed"
(($(grep -c "reloaded " "$TMP/agent.log") > lines)) || fail "log_level info not restored"
http_is "$NS" $H/status 200 || fail "/status not allowed again"
pass "log_level applied live (error hides info lines, info brings them back)"

write_config "allow = [\"127.0.0.0/8\"]
state_dir = \"$TMP/state2\"" '
[service.web2]
port = 81
probes = ["port"]'
sed -i "0,/^state_dir = \"$(printf '%s' "$TMP" | sed 's/[\/&]/\\&/g')\/state\"$/{//d}" "$TMP/rsagent.toml"
grep -c '^state_dir' "$TMP/rsagent.toml" | grep -qx 1 || fail "test bug: config: $(cat "$TMP/rsagent.toml")"
if ctl reload 2>"$TMP/reload.err"; then fail "a reload changing state_dir succeeded"; fi
cat "$TMP/reload.err" >&2
grep -q "agent.state_dir changed ($TMP/state -> $TMP/state2): it takes effect only at a restart" \
  "$TMP/reload.err" || fail "the refusal does not name agent.state_dir"
grep -q "rejected" "$TMP/reload.err" || fail "does not say rejected"
http_is "$NS" $H/health/web2 404 || fail "web2 was applied by a rejected reload"
ctl drain web >/dev/null
[[ -f "$TMP/state/overrides.json" && ! -e "$TMP/state2" ]] || fail "the drain went elsewhere"
pass "state_dir change refuses the whole reload, naming the key; nothing applied"
