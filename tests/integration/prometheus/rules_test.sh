#!/usr/bin/env bash
# packaging/prometheus/rsagent-rules.yml: valid for Prometheus (promtool check
# rules), every alert covered by rsagent-rules.test.yml, and every test case
# there passing (promtool test rules: each alert fires on its fault and stays
# quiet on the look-alike beside it).
source "$(dirname "$0")/../lib/common.sh"
require_cmd promtool python3
RULES="$RSAGENT_SOURCE_DIR/packaging/prometheus/rsagent-rules.yml"
TESTS="$(dirname "$0")/rsagent-rules.test.yml"

promtool check rules "$RULES" || fail "promtool check rules $RULES"
pass "promtool check rules"

python3 - "$RULES" "$TESTS" <<'PY' || fail "an alert has no test case"
import sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))
tests = yaml.safe_load(open(sys.argv[2]))
alerts = {r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r}
firing = {t["alertname"] for case in tests["tests"] for t in case.get("alert_rule_test", [])
          if t.get("exp_alerts")}
missing = sorted(alerts - firing)
if missing:
    sys.exit("alerts never seen firing in %s: %s" % (sys.argv[2], ", ".join(missing)))
print("%d alerts, each with a firing test case" % len(alerts))
PY

(cd "$(dirname "$TESTS")" && promtool test rules "$(basename "$TESTS")") ||
  fail "promtool test rules $TESTS"
pass "promtool test rules"
