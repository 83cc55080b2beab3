# MariaDB instances for integration tests (source after common.sh).
#
# Each instance lives in its own directory under $TMP (datadir, socket, pid,
# log, my.cnf) and runs inside a namespace the test created; nothing touches
# /var/lib/mysql or the system's mysqld. Settings and timings: LAB-NOTES.md.
#
#   mdb_start NAME NS SERVER_ID BIND_ADDR  install + start; registers cleanup
#   mdb NAME SQL                           run SQL as root over the socket
#   mdb_value NAME SQL                     first column of the first row
#   mdb_slave_field NAME FIELD             one column of SHOW SLAVE STATUS
#   mdb_stop NAME / mdb_kill NAME          graceful / SIGKILL
#   mdb_restart NAME                       start again on the same datadir
#   mdb_pair A B                           master-master, GTID + semi-sync
#   MDB_EXTRA_CNF                          lines appended to every my.cnf written

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
innodb_buffer_pool_size = 8M
innodb_log_file_size = 4M
performance_schema = OFF
${MDB_EXTRA_CNF:-}
EOF
}

_mdb_launch() {  # NAME
  local name="$1" dir
  dir=$(mdb_dir "$name")
  start_bg "${MDB_NS[$name]}" "$dir/stdout.log" mariadbd --defaults-file="$dir/my.cnf"
  MDB_PID[$name]=$BG_PID
  wait_until 30 mdb "$name" "SELECT 1" ||
    fail "mariadb $name did not start: $(tail -5 "$dir/error.log")"
  log "mariadb $name up (pid ${MDB_PID[$name]}) in ${WAITED_MS} ms"
}

mdb_start() {  # NAME NS SERVER_ID BIND_ADDR
  local name="$1" dir
  dir=$(mdb_dir "$name")
  mkdir -p "$dir/data"
  MDB_NS[$name]="$2"
  MDB_ADDR[$name]="$4"
  _mdb_write_cnf "$name" "$3" "$4"
  mariadb-install-db --defaults-file="$dir/my.cnf" --skip-test-db \
    --auth-root-authentication-method=socket >"$dir/install.log" 2>&1 ||
    fail "mariadb-install-db $name: $(tail -5 "$dir/install.log")"
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

mdb_stop() {
  local pid="${MDB_PID[$1]}"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

mdb_kill() {
  local pid="${MDB_PID[$1]}"
  kill -CONT "$pid" 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

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
