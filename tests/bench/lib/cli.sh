# The command line and the build the bench scripts share (run.sh, scale.sh,
# detection_clusters.sh). Source first, with SOURCE_DIR set: it sets the
# defaults of QUICK, ONLY, BUILD_DIR and REPORT (REFERENCE, where taken, is
# the script's own).
QUICK=0
ONLY=""
BUILD_DIR="$SOURCE_DIR/build"
REPORT="$SOURCE_DIR/docs/bench-report.md"

# bench_parse_args USAGE OPTION... -- ARG...: --quick sets QUICK=1; each
# OPTION (--build DIR, --report FILE, --only SECTION, --reference REV) the
# script takes sets BUILD_DIR, REPORT, ONLY resp. REFERENCE. Anything else,
# or an OPTION without its value, prints "usage: USAGE" and exits 2.
bench_parse_args() {
  local usage=$1
  shift
  local allowed=" "
  while [[ $1 != -- ]]; do allowed+="$1 "; shift; done
  shift
  while (($#)); do
    if [[ $1 == --quick ]]; then
      QUICK=1
    elif [[ $allowed == *" $1 "* ]] && (($# >= 2)); then
      case $1 in
        --build) BUILD_DIR=$2 ;;
        --report) REPORT=$2 ;;
        --only) ONLY=$2 ;;
        --reference) REFERENCE=$2 ;;
      esac
      shift
    else
      echo "usage: $usage" >&2
      exit 2
    fi
    shift
  done
}

# bench_build TARGET...: ctest passes the binaries (RSAGENT, RSAGENT_CHECK,
# RSAGENT_BENCH_BIN); by hand, TARGETs are built in BUILD_DIR first. Exports
# RSAGENT and RSAGENT_SOURCE_DIR for tests/integration/lib/common.sh; sets
# BENCH_BIN.
bench_build() {
  if [[ -z ${RSAGENT:-} || -z ${RSAGENT_BENCH_BIN:-} ]]; then
    cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -G Ninja >/dev/null
    nice cmake --build "$BUILD_DIR" -j2 --target "$@" >/dev/null
    RSAGENT="$BUILD_DIR/agent/rsagent"
    RSAGENT_CHECK="$BUILD_DIR/check/rsagent-check"
    RSAGENT_BENCH_BIN="$BUILD_DIR/tests/bench"
  fi
  export RSAGENT RSAGENT_SOURCE_DIR="$SOURCE_DIR"
  BENCH_BIN=$RSAGENT_BENCH_BIN
}
