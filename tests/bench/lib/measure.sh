# Measurement helpers for run.sh (source after tests/integration/lib/common.sh).

# kv LINE KEY -> the value of KEY=VALUE in a tool's output line.
kv() { sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1" | tr -d '"'; }

# stats V... -> "median min max" (numeric); "- - -" when empty.
stats() {
  (($# > 0)) || { echo "- - -"; return; }
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -g)
  local n=$#
  local med
  med=$(sed -n "$(((n + 1) / 2))p" <<<"$sorted")
  echo "$med $(head -1 <<<"$sorted") $(tail -1 <<<"$sorted")"
}

# percentiles V... -> "p50 p95 max" by nearest rank.
percentiles() {
  (($# > 0)) || { echo "- - -"; return; }
  local sorted n
  sorted=$(printf '%s\n' "$@" | sort -g)
  n=$#
  local r50=$(((n * 50 + 99) / 100)) r95=$(((n * 95 + 99) / 100))
  echo "$(sed -n "${r50}p" <<<"$sorted") $(sed -n "${r95}p" <<<"$sorted") $(tail -1 <<<"$sorted")"
}

# ratio A B -> A/B with one decimal (or "-").
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "-") printf "%.1f", a / b; else print "-" }'; }

# cpu_ticks PID... -> user+system clock ticks of the processes and of the
# children they have reaped (fields 14-17 of /proc/PID/stat).
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do
    total=$((total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat")))
  done
  echo "$total"
}

# rss_kb PID -> VmRSS in kB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# smaps_kb PID FIELD_REGEX -> sum of the matching smaps_rollup fields, kB.
smaps_kb() { awk -v f="^($2):\$" '$1 ~ f { s += $2 } END { print s + 0 }' "/proc/$1/smaps_rollup"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# now_ns: wall clock, the same the watch tool prints.
now_ns() { date +%s%N; }

# "median [min–max]" of the values; the median alone.
spread() {
  local s
  read -r -a s <<<"$(stats "$@")"
  [[ ${s[0]} == - ]] && { echo "-"; return; }
  if [[ ${s[1]} == "${s[2]}" ]]; then echo "${s[0]}"; else echo "${s[0]} [${s[1]}–${s[2]}]"; fi
}
median() { stats "$@" | cut -d' ' -f1; }

# The report's targets and the count of broken behaviour (a wrong status, a
# check that never answers, a row measuring another path than it claims).
TARGET_ROWS=()
BROKEN=0

broken() { log "BROKEN: $*"; BROKEN=$((BROKEN + 1)); }

# target NAME GOAL MEASURED MET(0|1)
target() { TARGET_ROWS+=("| $1 | $2 | $3 | $( (($4)) && echo met || echo "**missed**") |"); }
