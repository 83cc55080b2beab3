#!/bin/bash
# keepalived's rules for MISC_CHECK misc_dynamic weights, as the guest's
# keepalived (Debian 12: 2.2.7) applies them to real IPVS, checked one by
# one: the rules conf/examples/keepalived-web-misc-dynamic.conf states.
# One keepalived with checkers only (-C), one virtual server, four real
# servers, each checked by exit_code.sh with the exit code a step sets;
# weight 100 configured, inhibit_on_failure, misc_timeout 2, delay_loop 1.
# Each step sets a code and waits (bounded) for the weight it expects in
# the IPVS table. Writes $LAB_OUT/result.md (one line per step, PASS or
# FAIL, and keepalived's log lines); exit 0 when every step saw its weight.
LAB_OUT="${LAB_OUT:-/lab/out}"
source /lab/lib/common.sh
make_tmp
mkdir -p /run/rules
declare -A RS=([plain]=192.168.1.11 [killed_at_50]=192.168.1.12 [killed_drained]=192.168.1.13
  [exits_1_on_term]=192.168.1.14)
set_code() {  # NAME CODE: atomically, the script never reads a half-written file
  echo "$2" >"/run/rules/code-$1.new" && mv "/run/rules/code-$1.new" "/run/rules/code-$1"
}
real_server() {  # NAME [SCRIPT_OPTION]
  set_code "$1" 102
  cat <<CONF
    real_server ${RS[$1]} 80 {
        weight 100
        inhibit_on_failure
        MISC_CHECK {
            misc_path "/lab/guest/exit_code.sh $1 ${2:-}"
            misc_timeout 2
            misc_dynamic
        }
    }
CONF
}
{
  printf '%s\n' "global_defs {" "    enable_script_security" "    script_user root" "}" \
    "virtual_server 192.168.1.100 80 {" "    delay_loop 1" "    lb_algo wrr" "    lb_kind DR" \
    "    protocol TCP" "    alpha"
  real_server plain
  real_server killed_at_50
  real_server killed_drained
  real_server exits_1_on_term --exit-1-on-term
  echo "}"
} >"$TMP/k.conf"
keepalived -t -f "$TMP/k.conf" >"$TMP/check.log" 2>&1 || fail "keepalived -t: $(cat "$TMP/check.log")"
keepalived -n -l -D -C -f "$TMP/k.conf" -p "$TMP/k.pid" -r "$TMP/v.pid" -c "$TMP/c.pid" \
  >"$TMP/keepalived.log" 2>&1 &
ka_pid=$!
on_exit "kill $ka_pid; wait $ka_pid"

weight() {  # NAME -> its weight in the IPVS table, empty if absent
  ipvsadm -Ln | awk -v rs="${RS[$1]}:80" '$1 == "->" && $2 == rs {print $4}'
}
failed=0
result() { echo "$1" | tee -a "$LAB_OUT/result.md"; }
step() {  # NAME CODE WEIGHT WHAT: sets the exit code, waits up to 6 s for WEIGHT
  local name="$1" code="$2" want="$3" what="$4" deadline=$((SECONDS + 6)) w
  set_code "$name" "$code"
  until w=$(weight "$name") && [[ $w == "$want" ]] || ((SECONDS >= deadline)); do sleep 0.2; done
  if [[ $w == "$want" ]]; then
    result "- PASS $name: exit $code → weight $w${what:+ ($what)}"
  else
    result "- FAIL $name: exit $code → weight ${w:-absent}, expected $want${what:+ ($what)}"
    failed=1
  fi
}
failures() { grep -cE "$1" "$TMP/keepalived.log" || true; }  # PATTERN -> count (0: no match)
killed() {  # NAME: its next check sleeps past misc_timeout; waits for the failure logged
  local name="$1" deadline=$((SECONDS + 10)) before pattern="\[${RS[$1]}\]:tcp:80.*(timed out|failed)"
  before=$(failures "$pattern")
  echo 4 >"/run/rules/sleep-$name"
  until (($(failures "$pattern") > before)) || ((SECONDS >= deadline)); do
    sleep 0.2
  done
  rm -f "/run/rules/sleep-$name"
  result "- $name: check past misc_timeout: $({ grep -E "$pattern" "$TMP/keepalived.log" || true; } |
    tail -n 1 | sed 's/.*\] by //')"
}

echo "# keepalived $(keepalived --version 2>&1 | head -n 1 | cut -d' ' -f2): MISC_CHECK misc_dynamic on real IPVS" >"$LAB_OUT/result.md"
echo >>"$LAB_OUT/result.md"
for n in plain killed_at_50 killed_drained exits_1_on_term; do step "$n" 102 100 "start"; done
step plain 2 0 "2..255: weight = exit - 2; 2 is alive at weight 0"
step plain 17 15 "from 0, no transition needed"
step plain 255 253 "the top: 253"
step plain 55 53 ""
step plain 0 100 "0: the configured weight, not the one it had"
step plain 52 50 ""
step plain 1 0 "1: failure, disabled (inhibit_on_failure: weight 0)"
step plain 17 15 "the next success: enabled at the weight it asks"
step plain 0 100 "0 after a failure: the configured weight"

step killed_at_50 52 50 ""
killed killed_at_50
step killed_at_50 52 50 "the same code again"
step killed_at_50 102 50 "asks 100, keeps 50: the offset the kill forgot stays in the weight"
step killed_at_50 2 0 ""
step killed_at_50 102 50 "asks 100 again: still 50"

step killed_drained 2 0 "drained"
killed killed_drained
step killed_drained 17 0 "undrained: asks 15, stays 0"
step killed_drained 55 0 "asks 53, stays 0"
step killed_drained 102 0 "asks 100, stays 0 (the lab's first weights runs)"

step exits_1_on_term 2 0 "drained"
killed exits_1_on_term
step exits_1_on_term 17 15 "exit 1 on SIGTERM instead: the failure path keeps the books"
step exits_1_on_term 55 53 ""
step exits_1_on_term 102 100 ""

{
  echo
  echo "keepalived's log (weights, failures):"
  echo
  { grep -E "Changing weight|timed out|failed|lost|Enabling|Disabling" "$TMP/keepalived.log" ||
    true; } | sed 's/^/    /'
} >>"$LAB_OUT/result.md"
exit "$failed"
