#!/bin/bash
# exit_code.sh NAME [--exit-1-on-term]: a MISC_CHECK script for
# keepalived_rules.sh. Exits with the code in /run/rules/code-NAME, after
# sleeping /run/rules/sleep-NAME seconds when that file exists (to run into
# misc_timeout). With --exit-1-on-term keepalived's SIGTERM ends it with
# exit 1, as rsagent-check does; without, it dies of the signal.
[[ ${2:-} == --exit-1-on-term ]] && trap 'exit 1' TERM
read -r code <"/run/rules/code-$1"
if [[ -f /run/rules/sleep-$1 ]]; then
  sleep "$(cat "/run/rules/sleep-$1")" &
  wait $!
fi
exit "$code"
