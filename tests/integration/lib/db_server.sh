# The start-up every test database server shares — MariaDB (mariadb.sh,
# galera.sh) and sid's MySQL in its root (mysql_root.sh,
# group_replication.sh) — with what differs between them as arguments.
# Sourced by mariadb.sh and mysql_root.sh (after common.sh).
#
#   dbsrv_small_innodb POOL TEMP     [mysqld] lines that keep a test server small on
#                                    disk and in memory (POOL: the buffer pool size,
#                                    TEMP: the temporary tablespace's first size)
#   dbsrv_init LABEL OUT ERRLOG CMD...   initializes a datadir: CMD (output to OUT),
#                                    else fail with "LABEL:" and ERRLOG's last lines
#   dbsrv_remove_on_exit DIR         DIR (a datadir) goes at exit, after its server
#   dbsrv_spawn PIDS NAME NS OUT CMD...  starts CMD in NS (output to OUT); its pid
#                                    goes to the associative array named PIDS, key NAME
#   dbsrv_launch PIDS NAME NS OUT LABEL SECONDS CLIENT ERRLOG CMD...
#                                    dbsrv_spawn, then waits until `CLIENT NAME "SELECT 1"`
#                                    answers, else fails with ERRLOG's last lines
#   dbsrv_stop PID / dbsrv_kill PID  graceful (SIGTERM, reaped) / SIGKILL (even if stopped)
#
# The prefix is dbsrv_, not db_: tests name their own per-server helpers db_*
# (master_master_test.sh's db_stop, db_kill).

# A test server's datadir: MySQL 9.7's is 76 MB after --initialize instead
# of 95, MariaDB's ~20 MB (the last CI run filled the disk). The system
# tablespace starts at 5 MB (MySQL's least) and grows by 1 MB, not 64; the
# temporary one starts at TEMP (MySQL's least is 12 MB, MariaDB takes 1 MB).
# No doublewrite buffer (16 MB on MySQL): it guards against pages torn by a
# power loss or a kernel crash, which a test server does not live through (a
# kill -9 leaves every write in the page cache). What is left on MySQL: two
# undo tablespaces of a fixed 16 MB, mysql.ibd (25 MB), the redo log. Redo
# sizes are set differently by each server (innodb_log_file_size /
# innodb_redo_log_capacity), so each flavour adds its own line.
dbsrv_small_innodb() {  # POOL TEMP
  cat <<CNF
innodb_buffer_pool_size = $1
innodb_data_file_path = ibdata1:5M:autoextend
innodb_temp_data_file_path = ibtmp1:$2:autoextend
innodb_autoextend_increment = 1
innodb_doublewrite = OFF
CNF
}

dbsrv_init() {  # LABEL OUT ERRLOG CMD...
  local label="$1" out="$2" errlog="$3" start
  shift 3
  start=$(now_ms)
  "$@" >"$out" 2>&1 || fail "$label: $(tail -5 "$errlog")"
  log "$label: $(($(now_ms) - start)) ms"
}

dbsrv_remove_on_exit() {  # DIR
  on_exit "rm -rf '$1'"
}

dbsrv_spawn() {  # PIDS NAME NS OUT CMD...
  local -n _dbsrv_pids="$1"
  local name="$2" ns="$3" out="$4"
  shift 4
  start_bg "$ns" "$out" "$@"
  _dbsrv_pids[$name]=$BG_PID
}

dbsrv_launch() {  # PIDS NAME NS OUT LABEL SECONDS CLIENT ERRLOG CMD...
  local pids="$1" name="$2" ns="$3" out="$4" label="$5" seconds="$6" client="$7" errlog="$8"
  shift 8
  dbsrv_spawn "$pids" "$name" "$ns" "$out" "$@"
  wait_until "$seconds" "$client" "$name" "SELECT 1" ||
    fail "$label $name did not start: $(tail -5 "$errlog")"
  log "$label $name up (pid $BG_PID) in ${WAITED_MS} ms, datadir $(_dbsrv_datadir_size "$errlog")"
}

# The size of the datadir next to ERRLOG's directory (all our servers keep
# data/ beside their log), for the start-up log line.
_dbsrv_datadir_size() {  # ERRLOG
  du -sh "$(dirname "$1")/data" 2>/dev/null | cut -f1
}

dbsrv_stop() {  # PID
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

dbsrv_kill() {  # PID
  kill -CONT "$1" 2>/dev/null || true
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
