# A MariaDB Galera cluster for integration tests (source after common.sh,
# netns.sh and mariadb.sh).
#
# Each node is a namespace on one bridge (lab_switch/lab_host), with its own
# datadir under $TMP; gcomm, IST and SST (rsync) all run between those
# namespaces only. Timeouts are shortened so a lost node is evicted within
# seconds, and the footprint kept small (8 MB buffer pool, 16 MB gcache).
# mariadbd runs as mysql, not root: the rsync SST daemon it spawns drops a
# root parent's files to nobody and could not write the joiner's datadir.
#
#   gal_node NAME ADDR                  namespace + my.cnf + datadir for one node
#   gal_bootstrap NAME                  first node, --wsrep-new-cluster
#   gal_join NAME                       start a node that joins (SST/IST)
#   gal_status NAME VAR                 one wsrep_ status value
#   gal_kill NAME / gal_stop NAME       SIGKILL / graceful
#   gal_partition NAME / gal_heal NAME  nftables drop of all gcomm traffic of NAME
#
# GAL_SST_DONOR=NAME makes every other node prefer NAME as its SST/IST donor.
# Uses mariadb.sh's per-instance maps (MDB_NS, MDB_PID, MDB_ADDR), so mdb,
# mdb_value and mdb_sock work on Galera nodes too.

GAL_ADDRS=()

gal_node() {  # NAME ADDR
  local name="$1" addr="$2" dir
  lab_host "$name" "$addr"
  dir=$(mdb_dir "$name")
  mkdir -p "$dir/data"
  dbsrv_remove_on_exit "$dir/data"  # a joiner's comes by SST
  chown -R mysql: "$dir"
  MDB_NS[$name]="${LAB_NS[$name]}"
  MDB_ADDR[$name]="$addr"
  GAL_ADDRS+=("$addr")
}

_gal_write_cnf() {  # NAME
  local name="$1" addr="${MDB_ADDR[$1]}" dir members
  dir=$(mdb_dir "$name")
  members=$(IFS=,; echo "${GAL_ADDRS[*]}")
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
user = mysql
datadir = $dir/data
socket = $dir/mysqld.sock
pid-file = $dir/mysqld.pid
log-error = $dir/error.log
bind-address = $addr
port = 3306
skip-name-resolve
binlog_format = ROW
default_storage_engine = InnoDB
innodb_autoinc_lock_mode = 2
$(dbsrv_small_innodb 8M 1M)
innodb_log_file_size = 4M
performance_schema = OFF
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = rsagent-test
wsrep_cluster_address = gcomm://$members
wsrep_node_address = $addr
wsrep_node_name = $name
wsrep_sst_method = rsync
wsrep_sst_receive_address = $addr
$( [[ -n ${GAL_SST_DONOR:-} && $name != "$GAL_SST_DONOR" ]] && echo "wsrep_sst_donor = $GAL_SST_DONOR,")
wsrep_provider_options = "gmcast.listen_addr=tcp://$addr:4567; ist.recv_addr=$addr; gcache.size=16M; evs.keepalive_period=PT0.5S; evs.suspect_timeout=PT2S; evs.inactive_timeout=PT3S; evs.inactive_check_period=PT0.5S; evs.install_timeout=PT2S; pc.announce_timeout=PT1S"
EOF
}

_gal_launch() {  # NAME [EXTRA ARGS...]
  local name="$1" dir
  shift
  dir=$(mdb_dir "$name")
  _gal_write_cnf "$name"
  chown -R mysql: "$dir"
  dbsrv_spawn MDB_PID "$name" "${MDB_NS[$name]}" "$dir/stdout.log" mariadbd \
    --defaults-file="$dir/my.cnf" "$@"
}

# Waits until NAME answers and is Synced in a Primary component.
gal_wait_synced() {  # NAME SECONDS
  wait_until "$2" _gal_synced "$1" ||
    fail "galera $1 not synced after $2 s: state $(gal_status "$1" local_state_comment 2>&1);" \
      "last errors: $(grep -hE "ERROR|exited" "$(mdb_dir "$1")"/{error,stdout}.log | tail -4)" \
      "$(namei -l "$(mdb_dir "$1")/data/grastate.dat")"
}

_gal_synced() {
  [[ $(gal_status "$1" local_state) == 4 && $(gal_status "$1" cluster_status) == Primary ]]
}

gal_bootstrap() {  # NAME
  _gal_write_cnf "$1"
  mdb_install "$1"
  _gal_launch "$1" --wsrep-new-cluster
  gal_wait_synced "$1" 30
  log "galera $1 bootstrapped (pid ${MDB_PID[$1]}) in ${WAITED_MS} ms"
}

# A joiner with an empty datadir gets a full SST from a donor; one that
# stopped cleanly catches up by IST from the donor's gcache.
gal_join() {  # NAME [SECONDS]
  _gal_launch "$1"
  gal_wait_synced "$1" "${2:-60}"
  log "galera $1 joined (pid ${MDB_PID[$1]}) in ${WAITED_MS} ms"
}

gal_status() {  # NAME VAR (without the wsrep_ prefix)
  mdb "$1" "SHOW GLOBAL STATUS LIKE 'wsrep_$2'" | cut -f2
}

gal_kill() { mdb_kill "$1"; }
gal_stop() { mdb_stop "$1"; }

# Drops everything between NAME and the other nodes, both ways, inside NAME's
# namespace: NAME is left alone in a non-Primary component of one, the
# others keep quorum (2 of 3).
gal_partition() { lab_cut "$1"; }
gal_heal() { lab_uncut "$1"; }
