#!/usr/bin/env bash
# The director examples pass `keepalived -t` without a single warning, agree
# with the node examples (agent port, /health/<service> paths), and broken
# copies are rejected, proving the check can fail.
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

# keepalived is a declared dependency: missing it is a failure, not a skip.
require_cmd keepalived
make_tmp

EXAMPLES="$RSAGENT_SOURCE_DIR/conf/examples"
DIRECTOR_A="$EXAMPLES/keepalived-director-a.conf"
DIRECTOR_B="$EXAMPLES/keepalived-director-b.conf"

# keepalived_accepts FILE -> 0 when keepalived parses FILE silently. Its exit
# code alone is not enough: some versions exit 0 after "Unknown keyword"
# warnings, so any output at all counts as a rejection. Own pid files keep
# it clear of any keepalived running on this machine.
keepalived_accepts() {
  local rc=0
  KEEPALIVED_OUTPUT=$(keepalived -t -f "$1" -p "$TMP/k.pid" -r "$TMP/v.pid" -c "$TMP/c.pid" 2>&1) ||
    rc=$?
  log "keepalived -t $(basename "$1"): exit $rc${KEEPALIVED_OUTPUT:+, said: $KEEPALIVED_OUTPUT}"
  [[ $rc -eq 0 && -z $KEEPALIVED_OUTPUT ]]
}

# vrrp_field FILE INSTANCE KEYWORD -> the value of KEYWORD inside vrrp_instance INSTANCE.
vrrp_field() {
  awk -v inst="$2" -v key="$3" '
    $1 == "vrrp_instance" { in_inst = ($2 == inst) }
    in_inst && $1 == key { print $2; exit }' "$1"
}

for conf in "$DIRECTOR_A" "$DIRECTOR_B"; do
  keepalived_accepts "$conf" || fail "keepalived rejects $(basename "$conf")"
done
pass "keepalived -t accepts both director configs silently"

# VRRP roles: A MASTER 100, B BACKUP 90, same router ids on both.
for inst in VI_WEB:51 VI_DB:52; do
  name=${inst%%:*} vrid=${inst##*:}
  [[ $(vrrp_field "$DIRECTOR_A" "$name" state) == MASTER ]] || fail "$name: A is not MASTER"
  [[ $(vrrp_field "$DIRECTOR_B" "$name" state) == BACKUP ]] || fail "$name: B is not BACKUP"
  [[ $(vrrp_field "$DIRECTOR_A" "$name" priority) == 100 ]] || fail "$name: A priority is not 100"
  [[ $(vrrp_field "$DIRECTOR_B" "$name" priority) == 90 ]] || fail "$name: B priority is not 90"
  for conf in "$DIRECTOR_A" "$DIRECTOR_B"; do
    [[ $(vrrp_field "$conf" "$name" virtual_router_id) == "$vrid" ]] ||
      fail "$name: $(basename "$conf") virtual_router_id is not $vrid"
  done
done
# Apart from identity and role, the two directors must be configured alike.
diff <(grep -vE '^#|router_id|state|priority' "$DIRECTOR_A") \
     <(grep -vE '^#|router_id|state|priority' "$DIRECTOR_B") ||
  fail "director configs differ beyond router_id/state/priority"
pass "VRRP: A MASTER/100, B BACKUP/90, vrid 51 and 52 on both"

# The checkers ask the port the node examples listen on, for services they define.
for node in web-node db-node; do
  port=$(sed -n 's/^listen = "[^"]*:\([0-9]*\)".*/\1/p' "$EXAMPLES/$node.toml")
  [[ -n $port ]] || fail "$node.toml has no agent listen port"
  if grep -w connect_port "$DIRECTOR_A" | grep -vqw "$port"; then
    fail "a connect_port in the director config is not $node.toml's port $port"
  fi
done
for path in $(awk '$1 == "path" { print $2 }' "$DIRECTOR_A" | sort -u); do
  service=${path#/health/}
  grep -q "^\[service\.$service\]" "$EXAMPLES"/*.toml ||
    fail "director checks $path but no example defines [service.$service]"
done
grep -q 'lb_algo fo' "$DIRECTOR_A" || fail "the DB virtual server is not single-writer (lb_algo fo)"
pass "connect_port and /health paths match the node examples"

# Galera and Group Replication: a director example each; writes to one
# member (fo), reads spread (wlc), paths served by the node example, which
# itself loads; a broken scheduler is rejected.
vs_algo() {  # FILE VIP -> lb_algo of virtual_server VIP
  awk -v vip="$2" '$1 == "virtual_server" { in_vs = ($2 == vip) } in_vs && $1 == "lb_algo" { print $2; exit }' "$1"
}
check_cluster_director() {  # NAME DIRECTOR NODE_TOML WRITER_VIP READER_VIP
  local name="$1" director="$EXAMPLES/$2" node="$EXAMPLES/$3" path
  keepalived_accepts "$director" || fail "keepalived rejects $2"
  [[ $(vs_algo "$director" "$4") == fo ]] || fail "the $name writer VIP is not lb_algo fo"
  [[ $(vs_algo "$director" "$5") == wlc ]] || fail "the $name reader VIP is not lb_algo wlc"
  for path in $(awk '$1 == "path" { print $2 }' "$director" | sort -u); do
    grep -q "^\[service\.${path#/health/}\]" "$node" ||
      fail "the $name director checks $path but $3 has no such service"
  done
  grep -w connect_port "$director" | grep -vqw 9480 && fail "a $name connect_port is not 9480"
  "$RSAGENT" check-config -c "$node" >/dev/null ||
    fail "$3 does not load: $("$RSAGENT" check-config -c "$node" 2>&1)"
  sed 's/lb_algo fo$/lb_algo fastest/' "$director" >"$TMP/$name-bad.conf"
  keepalived_accepts "$TMP/$name-bad.conf" && fail "keepalived accepted a broken $name scheduler"
  pass "$name director: writer fo, reader wlc, paths of $3, which loads"
}
check_cluster_director Galera keepalived-director-galera.conf galera-node.toml \
  192.168.1.110 192.168.1.111
check_cluster_director "Group Replication" keepalived-director-group-replication.conf \
  group-replication-node.toml 192.168.1.120 192.168.1.121

# Broken copies must be rejected; otherwise the checks above prove nothing.
sed 's/inhibit_on_failure/inhibit_on_failur/' "$DIRECTOR_A" >"$TMP/misspelled.conf"
sed 's/lb_algo fo$/lb_algo fastest/' "$DIRECTOR_A" >"$TMP/bad-scheduler.conf"
# The seed's one-line blocks: keepalived wants one keyword per line.
{ cat "$DIRECTOR_A"; echo 'vrrp_instance VI_X { state MASTER interface eth0 virtual_router_id 53 priority 100 }'; } \
  >"$TMP/one-line.conf"
for broken in misspelled bad-scheduler one-line; do
  if keepalived_accepts "$TMP/$broken.conf"; then
    fail "keepalived accepted the deliberately broken $broken.conf"
  fi
done
pass "keepalived rejects the broken copies"
