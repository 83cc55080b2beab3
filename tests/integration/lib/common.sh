# Shared helpers for integration tests (source it; bash only).
#
# Every resource a test creates is registered with `on_exit`; the EXIT trap
# undoes them in reverse order on success, failure or Ctrl-C. Processes are
# killed by pid, never by name. Traffic stays inside namespaces made here.
#
# Environment (set by ctest): RSAGENT = path of the binary,
# RSAGENT_SOURCE_DIR = the source tree.

set -euo pipefail

: "${RSAGENT:?set RSAGENT to the rsagent binary}"
: "${RSAGENT_SOURCE_DIR:?set RSAGENT_SOURCE_DIR to the source tree}"

# Short, unique per run: namespace names and interface names stay < 15 chars.
TEST_ID="rt$$"
_CLEANUP=()

on_exit() { _CLEANUP+=("$*"); }

_run_cleanup() {
  local rc=$?
  set +e
  # A name no entry uses: entries are eval'd in this scope, and one that
  # loops over `i` would move this loop (pool_cpu_hog left namespaces behind).
  local _cleanup_at
  for ((_cleanup_at = ${#_CLEANUP[@]} - 1; _cleanup_at >= 0; _cleanup_at--)); do
    eval "${_CLEANUP[$_cleanup_at]}" >/dev/null 2>&1
  done
  exit "$rc"
}
trap _run_cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
pass() { log "PASS: $*"; }

require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    log "SKIP: needs root (network namespaces)"
    exit 77
  fi
}

require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null || fail "missing command '$c' (run scripts/install-deps.sh)"
  done
}

# A scratch directory removed at exit.
# RSAGENT_KEEP_FAILED=DIR: a failed test's scratch directory (logs, configs;
# not MariaDB data directories) is copied to DIR/TEST_ID before removal.
make_tmp() {
  TMP=$(mktemp -d "/tmp/${TEST_ID}.XXXX")
  chmod 755 "$TMP"
  on_exit "_remove_tmp '$TMP'"
}

_remove_tmp() {  # DIR (runs inside _run_cleanup: $rc is the test's exit status)
  if [[ ${rc:-0} != 0 && ${rc:-0} != 77 && -n ${RSAGENT_KEEP_FAILED:-} ]]; then
    mkdir -p "$RSAGENT_KEEP_FAILED/$TEST_ID"
    tar -C "$1" --exclude='./mdb-*/data' -cf - . | tar -C "$RSAGENT_KEEP_FAILED/$TEST_ID" -xf -
  fi
  rm -rf "$1"
}

# make_ns NAME [VAR] -> creates namespace "$TEST_ID-NAME" with lo up and
# stores its name in VAR (default MADE_NS). Not `$(make_ns ...)`: in a
# subshell its cleanup registration would be lost. Everything still running
# inside is killed (by pid) before the namespace is deleted.
make_ns() {
  ((BASH_SUBSHELL == 0)) || fail "make_ns must not run in a subshell (cleanup would be lost)"
  local ns="$TEST_ID-$1"
  ip netns add "$ns"
  on_exit "ip netns delete '$ns'"
  on_exit "kill_ns_pids '$ns'"
  ip -n "$ns" link set lo up
  printf -v "${2:-MADE_NS}" '%s' "$ns"
}

kill_ns_pids() {
  local pid
  for pid in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
}

# start_bg NS LOG CMD... -> runs CMD in namespace NS in the background;
# sets BG_PID and registers its kill.
start_bg() {
  local ns="$1" logf="$2"
  shift 2
  ip netns exec "$ns" "$@" >"$logf" 2>&1 &
  BG_PID=$!
  on_exit "kill -9 $BG_PID; wait $BG_PID"
}

# wait_until SECONDS CMD... -> polls CMD every 50 ms; 0 when it succeeded.
wait_until() {
  local limit="$1"
  shift
  local deadline=$((SECONDS + limit + 1)) start
  start=$(date +%s%N)
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then
      WAITED_MS=$((($(date +%s%N) - start) / 1000000))
      return 0
    fi
    sleep 0.05
  done
  WAITED_MS=$((($(date +%s%N) - start) / 1000000))
  return 1
}

# http_code NS URL -> the status code, or 000 when nothing answered.
http_code() {
  ip netns exec "$1" curl -s -o /dev/null -m 2 -w '%{http_code}' "$2" || true
}

http_is() {  # http_is NS URL CODE
  [[ $(http_code "$1" "$2") == "$3" ]]
}

# Millisecond clock for measurements.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
