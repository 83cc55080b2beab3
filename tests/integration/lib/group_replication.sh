# A MySQL Group Replication group (single-primary) for integration tests
# (source after common.sh, netns.sh, rootfs.sh and mysql_root.sh; call
# mysql_root and lab_switch first).
#
# Each member is a namespace on the lab bridge running sid's mysqld 9.7
# chrooted into the one cached root (mysql_root.sh), its datadir under
# /srv/NAME in the root. XCom (port 33061) and distributed recovery run
# between those namespaces only. One datadir is initialized and copied to
# the others without auto.cnf, so each gets its own server_uuid (an
# --initialize takes tens of seconds on a loaded host).
#
#   gr_node NAME ADDR WEIGHT        namespace, datadir and my.cnf of a member;
#                                   WEIGHT = group_replication_member_weight (the
#                                   heaviest secondary is elected on failover)
#   gr_bootstrap NAME               start mysqld, users, bootstrap the group
#   gr_join NAME                    start mysqld (if not running), START GROUP_REPLICATION
#   gr_start_mysqld NAME            mysqld only (after a kill: same datadir)
#   gr_member_state NAME [OF]       MEMBER_STATE of OF (default NAME) as NAME sees it
#   gr_member_role NAME [OF]
#   gr_primary NAME                 the primary's MEMBER_HOST as NAME sees it
#   gr_partition NAME / gr_heal NAME   lab_cut / lab_uncut (netns.sh): NAME alone
#   gr_block_xcom NAME / gr_unblock_xcom NAME   nftables in NAME drops / stops dropping
#                                   its group communication (port 33061) only: mysqld
#                                   and the agent stay reachable
#
# Uses mysql_root.sh's maps (MY_NS, MY_PID), so my, my_value, my_sock and
# my_kill work on members.

GR_GROUP_NAME=6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d
declare -gA GR_ADDR=() GR_WEIGHT=() GR_ID=()
GR_SEEDS=()

gr_node() {  # NAME ADDR WEIGHT
  local name="$1"
  lab_host "$name" "$2"
  MY_NS[$name]="${LAB_NS[$name]}"
  GR_ID[$name]=$((${#GR_ADDR[@]} + 1))
  GR_ADDR[$name]="$2"
  GR_WEIGHT[$name]="$3"
  GR_SEEDS+=("$2:33061")
}

_gr_dir() { echo "/srv/$1"; }

_gr_write_cnf() {  # NAME
  local name="$1" dir addr="${GR_ADDR[$1]}" seeds
  dir=$(_gr_dir "$name")
  seeds=$(IFS=,; echo "${GR_SEEDS[*]}")
  mkdir -p "$MYSQL_ROOT$dir"
  {
    my_cnf "$dir" "${GR_ID[$name]}" "$addr" 3306
    cat <<CNF
report_host = $addr
disabled_storage_engines = "MyISAM,BLACKHOLE,FEDERATED,ARCHIVE,MEMORY"
plugin_load_add = group_replication.so
loose-group_replication_group_name = $GR_GROUP_NAME
loose-group_replication_start_on_boot = OFF
loose-group_replication_single_primary_mode = ON
loose-group_replication_local_address = $addr:33061
loose-group_replication_group_seeds = $seeds
loose-group_replication_ip_allowlist = 10.79.0.0/24
loose-group_replication_member_weight = ${GR_WEIGHT[$name]}
# Expel an unreachable member as soon as XCom suspects it (5 s): failover in
# seconds. A member cut off into a minority leaves the group by itself after
# 20 s (ERROR): without that timeout it keeps its old view until the network
# heals and, before it learns it was expelled, shows it ONLINE again for a
# moment (docs/mysql.md "Group Replication: verdicts").
loose-group_replication_member_expel_timeout = 0
loose-group_replication_unreachable_majority_timeout = 20
loose-group_replication_autorejoin_tries = 0
loose-group_replication_recovery_get_public_key = ON
loose-group_replication_recovery_retry_count = 100
loose-group_replication_recovery_reconnect_interval = 5
CNF
  } >"$MYSQL_ROOT$dir/my.cnf"
}

# An initialized datadir for NAME: a copy of one made once (before any
# server ran on it), without auto.cnf so each member gets its own server_uuid.
_gr_datadir() {  # NAME
  local dir template=/srv/template
  dir=$(_gr_dir "$1")
  if [[ ! -d $MYSQL_ROOT$template/data ]]; then
    mkdir -p "$MYSQL_ROOT$template"
    sed "s|^datadir = .*|datadir = $template/data|; s|^log-error = .*|log-error = $template/error.log|" \
      "$MYSQL_ROOT$dir/my.cnf" >"$MYSQL_ROOT$template/my.cnf"
    my_initialize "(the members' template)" "$template"
    rm -f "$MYSQL_ROOT$template/data/auto.cnf"
  fi
  dbsrv_remove_on_exit "$MYSQL_ROOT$dir/data"
  cp -a "$MYSQL_ROOT$template/data" "$MYSQL_ROOT$dir/data"
}

# Creates the datadir (first call per member) and starts mysqld.
gr_start_mysqld() {  # NAME
  local name="$1" dir
  dir=$(_gr_dir "$name")
  if [[ ! -d $MYSQL_ROOT$dir/data ]]; then
    _gr_write_cnf "$name"
    _gr_datadir "$name"
  fi
  my_restart "$name" 90
}

# Users every member has, not written to the binary log (each member makes
# its own): the recovery user for the group_replication_recovery channel and
# the probe's user with the two SELECT grants docs/mysql.md prescribes.
_gr_users() {  # NAME
  my "$1" "SET sql_log_bin = 0;
    CREATE USER 'repl'@'10.79.0.0/255.255.255.0' IDENTIFIED BY 'repl-pw';
    GRANT REPLICATION SLAVE, CONNECTION_ADMIN, BACKUP_ADMIN, GROUP_REPLICATION_STREAM
      ON *.* TO 'repl'@'10.79.0.0/255.255.255.0';
    CREATE USER 'rsagent'@'localhost' IDENTIFIED BY 'probe-pw';
    GRANT SELECT ON performance_schema.replication_group_members TO 'rsagent'@'localhost';
    GRANT SELECT ON performance_schema.replication_group_member_stats TO 'rsagent'@'localhost';
    SET sql_log_bin = 1;" || fail "users on $1"
  gr_recovery_password "$1" repl-pw
}

# The password the member's recovery channel logs in with (a wrong one keeps
# a joiner RECOVERING: it finds no donor it may copy from).
gr_recovery_password() {  # NAME PASSWORD
  my "$1" "CHANGE REPLICATION SOURCE TO SOURCE_USER = 'repl', SOURCE_PASSWORD = '$2'
    FOR CHANNEL 'group_replication_recovery'" || fail "recovery channel on $1"
}

gr_bootstrap() {  # NAME
  gr_start_mysqld "$1"
  _gr_users "$1"
  my "$1" "SET GLOBAL group_replication_bootstrap_group = ON; START GROUP_REPLICATION;
    SET GLOBAL group_replication_bootstrap_group = OFF;" ||
    fail "bootstrap $1: $(grep -h 'ERROR' "$MYSQL_ROOT$(_gr_dir "$1")/error.log" | tail -3)"
  wait_until 30 _gr_state_is "$1" "$1" ONLINE || fail "$1 not ONLINE after bootstrap"
  log "group bootstrapped on $1"
}

gr_join() {  # NAME
  local start
  start=$(now_ms)
  my "$1" "SELECT 1" >/dev/null 2>&1 || { gr_start_mysqld "$1"; _gr_users "$1"; }
  my "$1" "START GROUP_REPLICATION" ||
    fail "join $1: $(grep -h 'ERROR' "$MYSQL_ROOT$(_gr_dir "$1")/error.log" | tail -3)"
  wait_until 60 _gr_state_is "$1" "$1" ONLINE ||
    fail "$1 not ONLINE: $(gr_member_state "$1"); $(grep -h 'ERROR' "$MYSQL_ROOT$(_gr_dir "$1")/error.log" | tail -3)"
  log "$1 joined the group in $(($(now_ms) - start)) ms"
}

_gr_member_column() {  # NAME OF COLUMN
  my_value "$1" "SELECT $3 FROM performance_schema.replication_group_members
    WHERE MEMBER_HOST = '${GR_ADDR[$2]}'"
}
gr_member_state() { _gr_member_column "$1" "${2:-$1}" MEMBER_STATE; }
gr_member_role() { _gr_member_column "$1" "${2:-$1}" MEMBER_ROLE; }
_gr_state_is() { [[ $(gr_member_state "$1" "$2") == "$3" ]]; }
gr_primary() {
  my_value "$1" "SELECT MEMBER_HOST FROM performance_schema.replication_group_members
    WHERE MEMBER_ROLE = 'PRIMARY' AND MEMBER_STATE = 'ONLINE'"
}

gr_partition() { lab_cut "$1"; }
gr_heal() { lab_uncut "$1"; }

gr_block_xcom() {
  lab_exec "$1" nft -f - <<EOF
table inet rsagent_xcom {
  chain input { type filter hook input priority 0; policy accept; tcp dport 33061 drop; tcp sport 33061 drop; }
  chain output { type filter hook output priority 0; policy accept; tcp dport 33061 drop; tcp sport 33061 drop; }
}
EOF
}
gr_unblock_xcom() { lab_exec "$1" nft delete table inet rsagent_xcom; }
