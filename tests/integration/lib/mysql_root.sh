# Oracle MySQL servers from a cached sid root (source after common.sh and
# rootfs.sh). Debian 12 has no MySQL server; sid's mysql-server (9.7) runs
# chrooted into the root, inside a namespace the test made. Each instance's
# datadir, socket and logs live in the root under /srv/NAME.
#
#   mysql_root                          MYSQL_ROOT = unpacked root (skip when the mirror
#                                       cannot be reached and nothing is cached)
#   my_cnf DIR SERVER_ID BIND PORT      the common [mysqld] settings (stdout)
#   my_start NAME NS SERVER_ID PORT [BIND]   initialize + start (bind 127.0.0.1 unless
#                                       BIND); $MY_EXTRA_CNF is appended to my.cnf
#   my_stop NAME / my_restart NAME [SECONDS]   graceful stop / start again on the same
#                                       datadir (waiting up to SECONDS, default 60)
#   my_initialize LABEL DIR             a new datadir in DIR (in the root, with its my.cnf)
#   my NAME SQL                         SQL as root over the socket (mysql client in the root)
#   my_value NAME SQL                   first column of the first row
#   my_sock NAME                        the socket's path outside the root
#   my_kill NAME
#   my_pair A B                         master-master: GTID auto-position, semi-sync
#                                       (needs MY_EXTRA_CNF="$MY_PAIR_CNF" at start, and
#                                       MY_ADDR[NAME] = the address the peer connects to)

source "$(dirname "${BASH_SOURCE[0]}")/db_server.sh"

declare -A MY_NS MY_PID MY_ADDR

mysql_root() {
  require_mirror sid
  cached_root sid "$TMP/sid" mysql-server
  MYSQL_ROOT="$TMP/sid"
  log "$(chroot "$MYSQL_ROOT" /usr/sbin/mysqld --version)"
}

# The [mysqld] settings every test server has: its own files under DIR (in
# the root), small InnoDB files and buffers, GTIDs, performance_schema.
my_cnf() {  # DIR SERVER_ID BIND_ADDRESS PORT
  cat <<CNF
[mysqld]
user = root
datadir = $1/data
socket = $1/mysqld.sock
pid-file = $1/mysqld.pid
log-error = $1/error.log
bind-address = $3
port = $4
mysqlx = OFF
skip-name-resolve
server-id = $2
gtid-mode = ON
enforce-gtid-consistency = ON
$(dbsrv_small_innodb 16M 12M)
innodb_redo_log_capacity = 8M
performance_schema = ON
CNF
}

my_sock() { echo "$MYSQL_ROOT/srv/$1/mysqld.sock"; }

my_start() {  # NAME NS SERVER_ID PORT [BIND]
  local name="$1" dir="/srv/$1"
  MY_NS[$name]="$2"
  mkdir -p "$MYSQL_ROOT$dir"
  {
    my_cnf "$dir" "$3" "${5:-127.0.0.1}" "$4"
    printf '%s\n' "${MY_EXTRA_CNF:-}"
  } >"$MYSQL_ROOT$dir/my.cnf"
  my_initialize "$name" "$dir"
  my_restart "$name"
}

# A new datadir in DIR (inside the root, its my.cnf there), removed at exit.
my_initialize() {  # LABEL DIR
  mkdir -p "$MYSQL_ROOT$2/data"
  dbsrv_remove_on_exit "$MYSQL_ROOT$2/data"
  dbsrv_init "mysqld --initialize $1" "$MYSQL_ROOT$2/init.log" "$MYSQL_ROOT$2/error.log" \
    chroot "$MYSQL_ROOT" /usr/sbin/mysqld --defaults-file="$2/my.cnf" --initialize-insecure
}

my_restart() {  # NAME [SECONDS]
  local dir="$MYSQL_ROOT/srv/$1"
  dbsrv_launch MY_PID "$1" "${MY_NS[$1]}" "$dir/stdout.log" mysql "${2:-60}" my "$dir/error.log" \
    chroot "$MYSQL_ROOT" /usr/sbin/mysqld --defaults-file="/srv/$1/my.cnf"
}

my_stop() { dbsrv_stop "${MY_PID[$1]}"; }

my() {  # NAME SQL
  ip netns exec "${MY_NS[$1]}" chroot "$MYSQL_ROOT" mysql --no-defaults -S "/srv/$1/mysqld.sock" \
    -uroot --connect-timeout=2 -N -B <<<"$2"
}

my_value() { my "$1" "$2" | head -1; }

my_kill() { dbsrv_kill "${MY_PID[$1]}"; }

# A master of a master-master pair: both plugins of semi-sync loaded at start
# (settings in my.cnf survive a restart), a 3 s fallback to async, a short
# replica timeout, a crash-safe relay log, interleaved auto-increments.
MY_PAIR_CNF="plugin-load-add = semisync_source.so;semisync_replica.so
loose-rpl_semi_sync_source_enabled = ON
loose-rpl_semi_sync_replica_enabled = ON
loose-rpl_semi_sync_source_timeout = 3000
replica_net_timeout = 5
relay_log_recovery = ON
auto_increment_increment = 2"

# One field of SHOW REPLICA STATUS, by column name.
my_replica_field() {  # NAME FIELD
  ip netns exec "${MY_NS[$1]}" chroot "$MYSQL_ROOT" mysql --no-defaults -S "/srv/$1/mysqld.sock" \
    -uroot --connect-timeout=2 -E -e "SHOW REPLICA STATUS" | sed -n "s/^ *$2: //p"
}

my_pair() {  # A B
  local a="$1" b="$2" x peer offset=0
  for x in "$a" "$b"; do
    offset=$((offset + 1))
    my "$x" "SET PERSIST auto_increment_offset = $offset; SET sql_log_bin = 0;
      CREATE USER 'repl'@'%' IDENTIFIED BY 'replpw';
      GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';" || fail "replication user on $x"
  done
  for x in "$a" "$b"; do
    [[ $x == "$a" ]] && peer="$b" || peer="$a"
    my "$x" "CHANGE REPLICATION SOURCE TO SOURCE_HOST = '${MY_ADDR[$peer]}', SOURCE_PORT = 3306,
      SOURCE_USER = 'repl', SOURCE_PASSWORD = 'replpw', SOURCE_AUTO_POSITION = 1,
      GET_SOURCE_PUBLIC_KEY = 1, SOURCE_CONNECT_RETRY = 1, SOURCE_RETRY_COUNT = 100000,
      SOURCE_HEARTBEAT_PERIOD = 1; START REPLICA;"
  done
  for x in "$a" "$b"; do
    wait_until 20 _my_replicating "$x" ||
      fail "replication on $x did not start: $(my_replica_field "$x" Last_IO_Error)"
  done
  wait_until 20 _my_semi_sync_on "$a" || fail "semi-sync on $a did not come up"
  wait_until 20 _my_semi_sync_on "$b" || fail "semi-sync on $b did not come up"
}

_my_replicating() {
  [[ $(my_replica_field "$1" Replica_IO_Running) == Yes &&
     $(my_replica_field "$1" Replica_SQL_Running) == Yes ]]
}

_my_semi_sync_on() {
  [[ $(my "$1" "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_source_status'" | cut -f2) == ON ]]
}
