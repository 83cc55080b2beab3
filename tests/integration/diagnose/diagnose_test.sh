#!/usr/bin/env bash
# `rsagent diagnose` against broken nodes built for real in namespaces: a
# web node (agent stopped, VIP as /24, ARP sysctls unset, strict rp_filter on
# a two-legged node, nginx on the real IP only) and a db node (MariaDB with
# bind-address = 127.0.0.1, read_only ON on the writer, auto_increment 1).
# Each FAIL must appear with its fix; after applying the printed fixes
# diagnose passes (exit 0).
source "$(dirname "$0")/../lib/common.sh"
source "$(dirname "$0")/../lib/netns.sh"
source "$(dirname "$0")/../lib/nginx.sh"
source "$(dirname "$0")/../lib/mariadb.sh"
require_root
require_cmd nginx mariadbd mariadb-install-db python3 curl
make_tmp
lab_switch
lab_host web 192.168.1.21
lab_host db 192.168.1.31
WEB=${LAB_NS[web]}
DB=${LAB_NS[db]}

# diag NS CONFIG -> runs diagnose --json, keeps it in $TMP/diag.json, sets DIAG_RC.
diag() {
  set +e
  ip netns exec "$1" "$RSAGENT" diagnose -c "$2" --json >"$TMP/diag.json" 2>"$TMP/diag.err"
  DIAG_RC=$?
  set -e
  ip netns exec "$1" "$RSAGENT" diagnose -c "$2" >&2 || true
}
# verdicts CHECK -> the verdicts of that check, space-separated.
verdicts() {
  python3 -c 'import json,sys; print(" ".join(c["verdict"] for c in json.load(open(sys.argv[1]))["checks"] if c["check"]==sys.argv[2]))' \
    "$TMP/diag.json" "$1"
}
# fixes_of CHECK -> the distinct fixes of its FAILs, one per line.
fixes_of() {
  python3 -c 'import json,sys; print("\n".join(dict.fromkeys(c["fix"] for c in json.load(open(sys.argv[1]))["checks"] if c["check"]==sys.argv[2] and c["verdict"]=="FAIL")))' \
    "$TMP/diag.json" "$1"
}
# fix_of CHECK -> the fix of its first FAIL.
fix_of() {
  python3 -c 'import json,sys; print(next(c["fix"] for c in json.load(open(sys.argv[1]))["checks"] if c["check"]==sys.argv[2] and c["verdict"]=="FAIL"))' \
    "$TMP/diag.json" "$1"
}
expect_fail() {  # CHECK
  [[ $(verdicts "$1") == *FAIL* ]] || fail "$1 is not FAIL: $(verdicts "$1")"
  [[ -n $(fix_of "$1") ]] || fail "$1 FAIL without a fix"
  log "FAIL $1 -> fix: $(fix_of "$1")"
}
expect_pass() {  # CHECK
  local v
  v=$(verdicts "$1")
  [[ -n $v && $v != *FAIL* && $v != *WARN* ]] || fail "$1 not PASS: '$v'"
}

# ---- web node, broken ------------------------------------------------------
ip netns exec "$WEB" sysctl -qw net.ipv4.conf.all.arp_ignore=0 net.ipv4.conf.all.arp_announce=0 \
  net.ipv4.conf.lp0.arp_ignore=0 net.ipv4.conf.lp0.arp_announce=0 \
  net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.lp0.rp_filter=1
# A second leg: strict rp_filter now drops asymmetric DR traffic.
ip link add lp1 netns "$WEB" type veth peer name "x-web" netns "$LAB_SW"
ip -n "$WEB" link set lp1 up
ip netns exec "$WEB" sysctl -qw net.ipv4.conf.lp1.rp_filter=1 net.ipv4.conf.lp1.arp_ignore=0
ip -n "$WEB" addr add 192.168.1.100/24 dev lo
start_nginx "$WEB" "$TMP/nginx" 192.168.1.21:80
WEB_NGINX=$NGINX_PID

cat >"$TMP/web.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
state_dir = "$TMP/web-state"
control_socket = "$TMP/web-run/control.sock"

[vip]
addresses = ["192.168.1.100"]
manage = false

[probe.nginx]
type = "http"
url = "http://192.168.1.21/"

[service.web]
vip = "192.168.1.100"
port = 80
probes = ["nginx"]
CONF

diag "$WEB" "$TMP/web.toml"
[[ $DIAG_RC == 1 ]] || fail "diagnose exit $DIAG_RC with FAILs"
for c in agent vip arp rp_filter listener; do expect_fail $c; done
expect_pass config
pass "web node: agent, vip /24, arp, rp_filter, listener on the real IP all FAIL with fixes"

# ---- web node, fixed by the printed fixes -----------------------------------
diag "$WEB" "$TMP/web.toml"
for c in vip arp rp_filter; do
  while read -r fix; do
    ip netns exec "$WEB" sh -c "$fix" >/dev/null || fail "fix of $c failed: $fix"
  done < <(fixes_of $c)
done
# "make it listen on 0.0.0.0:80 ... (nginx: `listen 80;`)"
grep -q 'listen 80;' <<<"$(fix_of listener)" || fail "listener fix does not say how: $(fix_of listener)"
kill_nginx
start_nginx "$WEB" "$TMP/nginx" 0.0.0.0:80
sed -i 's|^url = .*|url = "http://127.0.0.1/"|' "$TMP/web.toml"
# "rsagent run -c FILE" from the agent check's fix.
start_bg "$WEB" "$TMP/web-agent.log" "$RSAGENT" run -c "$TMP/web.toml"
wait_until 5 test -S "$TMP/web-run/control.sock" || fail "agent: $(cat "$TMP/web-agent.log")"

diag "$WEB" "$TMP/web.toml"
for c in config agent vip arp rp_filter listener health-port; do expect_pass $c; done
[[ $DIAG_RC == 0 ]] || fail "diagnose exit $DIAG_RC after the fixes"
pass "web node: every check PASS after applying the printed fixes, exit 0"

# ---- db node, broken ---------------------------------------------------------
ip netns exec "$DB" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
  net.ipv4.conf.all.rp_filter=2
ip -n "$DB" addr add 192.168.1.101/32 dev lo
mdb_start db1 "$DB" 1 127.0.0.1
mdb db1 "SET GLOBAL read_only = ON; SET GLOBAL auto_increment_increment = 1"

cat >"$TMP/db.toml" <<CONF
[agent]
listen = "0.0.0.0:9480"
state_dir = "$TMP/db-state"
control_socket = "$TMP/db-run/control.sock"

[vip]
addresses = ["192.168.1.101"]
manage = false

[probe.mysql]
type = "mysql"
socket = "$(mdb_sock db1)"

[service.db-writer]
vip = "192.168.1.101"
port = 3306
probes = ["mysql"]
role = "writer"
CONF
start_bg "$DB" "$TMP/db-agent.log" "$RSAGENT" run -c "$TMP/db.toml"
wait_until 5 test -S "$TMP/db-run/control.sock" || fail "db agent: $(cat "$TMP/db-agent.log")"

diag "$DB" "$TMP/db.toml"
[[ $DIAG_RC == 1 ]] || fail "diagnose exit $DIAG_RC with FAILs"
for c in mysql-bind listener mysql-role auto-increment; do expect_fail $c; done
grep -q "bind_address = 127.0.0.1" "$TMP/diag.json" || fail "mysql-bind does not name 127.0.0.1"
expect_pass vip
expect_pass arp
pass "db node: bind-address 127.0.0.1, read_only on the writer, auto_increment 1 all FAIL"

# ---- db node, fixed ------------------------------------------------------------
grep -q "bind-address = 0.0.0.0" <<<"$(fix_of mysql-bind)" || fail "bind fix: $(fix_of mysql-bind)"
sed -i 's/^bind-address = .*/bind-address = 0.0.0.0/' "$(mdb_dir db1)/my.cnf"
mdb_stop db1
mdb_restart db1
# The printed SQL fixes, run against this instance's socket.
for c in mysql-role auto-increment; do
  sql=$(fix_of $c | sed -E "s/^mysql -e '([^']*)'.*/\1/; s/auto_increment_offset=N/auto_increment_offset=1/")
  mdb db1 "$sql" || fail "fix of $c: $sql"
done
diag "$DB" "$TMP/db.toml"
for c in mysql-bind listener mysql-role auto-increment; do expect_pass $c; done
[[ $DIAG_RC == 0 ]] || fail "diagnose exit $DIAG_RC after the fixes"
pass "db node: every check PASS after the printed fixes, exit 0"

# Colour only on a terminal: piped output has no escape codes.
ip netns exec "$DB" "$RSAGENT" diagnose -c "$TMP/db.toml" | grep -q $'\033' && fail "colour in a pipe"
pass "no colour when not a TTY"
