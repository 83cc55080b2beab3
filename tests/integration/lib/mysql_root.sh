# Oracle MySQL servers from a cached sid root (source after common.sh and
# rootfs.sh). Debian 12 has no MySQL server; sid's mysql-server (9.7) runs
# chrooted into the root, inside a namespace the test made. Each instance's
# datadir, socket and logs live in the root under /srv/NAME.
#
#   mysql_root                          MYSQL_ROOT = unpacked root (skip when the mirror
#                                       cannot be reached and nothing is cached)
#   my_cnf DIR SERVER_ID BIND PORT      the common [mysqld] settings (stdout)
#   my_start NAME NS SERVER_ID PORT     initialize + start; registers cleanup
#   my NAME SQL                         SQL as root over the socket (mysql client in the root)
#   my_value NAME SQL                   first column of the first row
#   my_sock NAME                        the socket's path outside the root
#   my_kill NAME

declare -A MY_NS MY_PID

mysql_root() {
  require_mirror sid
  cached_root sid "$TMP/sid" mysql-server
  MYSQL_ROOT="$TMP/sid"
  log "$(chroot "$MYSQL_ROOT" /usr/sbin/mysqld --version)"
}

# The [mysqld] settings every test server has: its own files under DIR (in
# the root), small buffers, GTIDs, performance_schema.
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
innodb_buffer_pool_size = 16M
innodb_redo_log_capacity = 8M
performance_schema = ON
CNF
}

my_sock() { echo "$MYSQL_ROOT/srv/$1/mysqld.sock"; }

my_start() {  # NAME NS SERVER_ID PORT
  local name="$1" dir="/srv/$1"
  MY_NS[$name]="$2"
  mkdir -p "$MYSQL_ROOT$dir/data"
  my_cnf "$dir" "$3" 127.0.0.1 "$4" >"$MYSQL_ROOT$dir/my.cnf"
  chroot "$MYSQL_ROOT" /usr/sbin/mysqld --defaults-file="$dir/my.cnf" --initialize-insecure \
    >"$MYSQL_ROOT$dir/init.log" 2>&1 ||
    fail "mysqld --initialize $name: $(tail -5 "$MYSQL_ROOT$dir/error.log")"
  start_bg "$2" "$MYSQL_ROOT$dir/stdout.log" chroot "$MYSQL_ROOT" /usr/sbin/mysqld \
    --defaults-file="$dir/my.cnf"
  MY_PID[$name]=$BG_PID
  wait_until 60 my "$name" "SELECT 1" ||
    fail "mysql $name did not start: $(tail -5 "$MYSQL_ROOT$dir/error.log")"
  log "mysql $name up (pid ${MY_PID[$name]}) in ${WAITED_MS} ms"
}

my() {  # NAME SQL
  ip netns exec "${MY_NS[$1]}" chroot "$MYSQL_ROOT" mysql --no-defaults -S "/srv/$1/mysqld.sock" \
    -uroot --connect-timeout=2 -N -B <<<"$2"
}

my_value() { my "$1" "$2" | head -1; }

my_kill() {
  kill -KILL "${MY_PID[$1]}" 2>/dev/null || true
  wait "${MY_PID[$1]}" 2>/dev/null || true
}
