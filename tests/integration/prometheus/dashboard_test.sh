#!/usr/bin/env bash
# packaging/grafana/rsagent-dashboard.json has the structure Grafana 10.4
# (schemaVersion 39) loads, checked by grafana_dashboard.py; and the checker
# rejects each defect it is there for (a mutated copy per defect). That every
# panel's query returns series from a real Prometheus scraping real agents is
# shown in alerts_e2e_test.sh.
source "$(dirname "$0")/../lib/common.sh"
require_cmd python3
make_tmp
DASH="$RSAGENT_SOURCE_DIR/packaging/grafana/rsagent-dashboard.json"
CHECK="$(dirname "$0")/grafana_dashboard.py"

python3 "$CHECK" check "$DASH" || fail "the shipped dashboard does not check"
pass "shipped dashboard checks"

# The [pair] row (run by the lab, whose E and F have [pair]) asks only for the
# pair's series; the rest (run by alerts_e2e_test.sh) for none of them.
pair=$(python3 "$CHECK" queries "$DASH" --row '[pair]') || fail "no [pair] row"
rest=$(python3 "$CHECK" queries "$DASH" --not-row '[pair]') || fail "no panels outside [pair]"
grep -v -E 'rsagent_mysql_(writer|pair)_' <<<"$pair" && fail "a [pair] panel without a pair series"
grep -E 'rsagent_mysql_(writer|pair)_' <<<"$rest" && fail "a pair series outside the [pair] row"
pass "[pair] row: $(wc -l <<<"$pair") queries of the pair's series, $(wc -l <<<"$rest") elsewhere"

# mutate NAME PYTHON-STATEMENT EXPECTED-ERROR: d is the dashboard, p its panels.
mutate() {
  python3 - "$DASH" "$TMP/$1.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); p = d["panels"]
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
  local out
  if out=$(python3 "$CHECK" check "$TMP/$1.json" 2>&1); then
    fail "$1: the checker accepted it"
  fi
  grep -q -- "$3" <<<"$out" || fail "$1: unexpected error: $out"
  log "rejected $1: $out"
}
mutate schema 'd["schemaVersion"] = 36' "schemaVersion must be 39"
mutate dup-id 'p[2]["id"] = p[1]["id"]' "used twice"
mutate overlap 'p[2]["gridPos"] = dict(p[1]["gridPos"])' "overlaps panel"
mutate wide 'p[1]["gridPos"]["w"] = 30' "outside the 24-column grid"
mutate unknown-var 'p[1]["targets"][0]["expr"] += "{x=\"$nosuch\"}"' "'\$nosuch' is not a dashboard variable"
mutate no-refid 'del p[1]["targets"][0]["refId"]' "missing field 'refId'"
mutate type 'p[1]["type"] = "graph-old"' "not built into Grafana 10.4"
mutate heatmap 'next(x for x in p if x["type"] == "heatmap")["targets"][0].pop("format")' "format 'heatmap'"
mutate ds 'p[1]["datasource"]["uid"] = "${nods}"' "names no datasource variable"
mutate mapping 'p[1]["fieldConfig"]["defaults"]["mappings"][0]["type"] = "weird"' "type must be value"
pass "checker rejects each defect"
