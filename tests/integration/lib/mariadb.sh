# MariaDB instances for integration tests (source after common.sh).
#
# Each instance lives in its own directory under $TMP (datadir, socket, pid,
# log, my.cnf) and runs inside a namespace the test created; nothing touches
# /var/lib/mysql or the system's mysqld. Settings and timings: LAB-NOTES.md.
#
#   mdb_start NAME NS SERVER_ID BIND_ADDR  install + start; registers cleanup
#   mdb_install NAME                       a new datadir (my.cnf written), removed at exit
#   mdb NAME SQL                           run SQL as root over the socket
#   mdb_value NAME SQL                     first column of the first row
#   mdb_slave_field NAME FIELD             one column of SHOW SLAVE STATUS
#   mdb_stop NAME / mdb_kill NAME          graceful / SIGKILL
#   mdb_restart NAME                       start again on the same datadir
#   mdb_pair A B                           master-master, GTID + semi-sync
#   MDB_EXTRA_CNF                          lines appended to every my.cnf written

source "$(dirname "${BASH_SOURCE[0]}")/db_server.sh"

# Per-instance state, keyed by NAME.
declare -A MDB_NS MDB_PID MDB_ADDR

mdb_dir() { echo "$TMP/mdb-$1"; }
mdb_sock() { echo "$TMP/mdb-$1/mysqld.sock"; }

_mdb_write_cnf() {  # NAME SERVER_ID BIND_ADDR
  local dir
  dir=$(mdb_dir "$1")
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
user = root
datadir = $dir/data
socket = $dir/mysqld.sock
pid-file = $dir/mysqld.pid
log-error = $dir/error.log
tmpdir = $dir
bind-address = $3
port = 3306
skip-name-resolve
server-id = $2
gtid-domain-id = $2
log-bin = $dir/data/binlog
log-slave-updates
auto-increment-increment = 2
auto-increment-offset = $2
rpl_semi_sync_master_enabled = 1
rpl_semi_sync_slave_enabled = 1
rpl_semi_sync_master_timeout = 3000
slave_net_timeout = 5
# Crash-safe replica: after a crash, discard the relay log and fetch again from
# gtid_slave_pos (else a kill -9 can leave relay-log.info naming a relay log
# that is gone, and replication does not start at all).
relay_log_recovery = ON
$(dbsrv_small_innodb 8M 1M)
innodb_log_file_size = 4M
performance_schema = OFF
${MDB_EXTRA_CNF:-}
EOF
}

# A new datadir for NAME (its my.cnf written), removed at exit.
mdb_install() {  # NAME
  local dir
  dir=$(mdb_dir "$1")
  mkdir -p "$dir/data"
  dbsrv_remove_on_exit "$dir/data"
  dbsrv_init "mariadb-install-db $1" "$dir/install.log" "$dir/install.log" \
    mariadb-install-db --defaults-file="$dir/my.cnf" --skip-test-db \
    --auth-root-authentication-method=socket
}

_mdb_launch() {  # NAME
  local dir
  dir=$(mdb_dir "$1")
  dbsrv_launch MDB_PID "$1" "${MDB_NS[$1]}" "$dir/stdout.log" mariadb 30 mdb "$dir/error.log" \
    mariadbd --defaults-file="$dir/my.cnf"
}

mdb_start() {  # NAME NS SERVER_ID BIND_ADDR
  local name="$1"
  mkdir -p "$(mdb_dir "$name")"
  MDB_NS[$name]="$2"
  MDB_ADDR[$name]="$4"
  _mdb_write_cnf "$name" "$3" "$4"
  mdb_install "$name"
  _mdb_launch "$name"
}

# SQL goes on stdin, not argv: the test passwords in it stay out of ps.
mdb() {  # NAME SQL
  ip netns exec "${MDB_NS[$1]}" mariadb --no-defaults -S "$(mdb_sock "$1")" -uroot \
    --connect-timeout=2 -N -B <<<"$2"
}

mdb_value() { mdb "$1" "$2" | head -1; }

# One field of SHOW SLAVE STATUS, by column name.
mdb_slave_field() {  # NAME FIELD
  ip netns exec "${MDB_NS[$1]}" mariadb --no-defaults -S "$(mdb_sock "$1")" -uroot \
    --connect-timeout=2 -e "SHOW SLAVE STATUS\G" | sed -n "s/^ *$2: //p"
}

mdb_stop() { dbsrv_stop "${MDB_PID[$1]}"; }
mdb_kill() { dbsrv_kill "${MDB_PID[$1]}"; }

mdb_restart() { _mdb_launch "$1"; }

# Master-master: each replicates from the other with GTID and semi-sync.
mdb_pair() {  # A B
  local a="$1" b="$2" x peer
  for x in "$a" "$b"; do
    mdb "$x" "SET sql_log_bin=0;
      CREATE USER 'repl'@'%' IDENTIFIED BY 'replpw';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';"
  done
  for x in "$a" "$b"; do
    [[ $x == "$a" ]] && peer="$b" || peer="$a"
    mdb "$x" "CHANGE MASTER TO MASTER_HOST='${MDB_ADDR[$peer]}', MASTER_USER='repl',
      MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1,
      MASTER_HEARTBEAT_PERIOD=1; START SLAVE;"
  done
  for x in "$a" "$b"; do
    wait_until 20 _mdb_replicating "$x" ||
      fail "replication on $x did not start: $(mdb_slave_field "$x" Last_IO_Error)"
  done
  wait_until 20 _mdb_semi_sync_on "$a" || fail "semi-sync on $a did not come up"
  wait_until 20 _mdb_semi_sync_on "$b" || fail "semi-sync on $b did not come up"
}

_mdb_replicating() {
  [[ $(mdb_slave_field "$1" Slave_IO_Running) == Yes &&
     $(mdb_slave_field "$1" Slave_SQL_Running) == Yes ]]
}

_mdb_semi_sync_on() {
  [[ $(mdb "$1" "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'" | cut -f2) == ON ]]
}
