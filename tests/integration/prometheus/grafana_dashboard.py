#!/usr/bin/env python3
"""The shipped Grafana dashboard, checked without a Grafana (not in Debian).

  grafana_dashboard.py check FILE     structure Grafana 10.4 (schemaVersion 39) requires
  grafana_dashboard.py queries FILE [--row TEXT | --not-row TEXT]
                                      one JSON line per panel target, variables expanded
                                      ($job=rsagent, $instance/$probe=.*, $__rate_interval=1m);
                                      only the panels under rows whose title contains TEXT,
                                      or all but those (a panel belongs to the row above it)

The fields checked are those Grafana 10.4's dashboard model (kinds/dashboard, the
panel and variable models it migrates to schemaVersion 39) needs to load and draw
the panel; a dashboard that passes imports as is.
"""
import json
import re
import sys

SCHEMA_VERSION = 39  # Grafana 10.3 / 10.4
PANEL_TYPES = {"row", "timeseries", "state-timeline", "stat", "heatmap", "table", "text", "gauge",
               "bargauge", "status-history"}
VARIABLE_TYPES = {"query", "datasource", "custom", "constant", "interval", "textbox", "adhoc"}
BUILTINS = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__all",
            "__dashboard", "__from", "__to", "__name", "__auto"}
EXPANSIONS = {"job": "rsagent", "instance": ".*", "probe": ".*", "__rate_interval": "1m"}
VAR_RE = re.compile(r"\$\{?(\w+)\}?")


def fail(where, what):
    sys.exit(f"{where}: {what}")


def want(obj, key, kind, where):
    if key not in obj:
        fail(where, f"missing field '{key}'")
    if not isinstance(obj[key], kind) or (kind is int and isinstance(obj[key], bool)):
        fail(where, f"'{key}' must be {kind.__name__}, is {type(obj[key]).__name__}")
    return obj[key]


def unique(seen, value, what, where):
    if value in seen:
        fail(where, f"{what} {value} used twice")
    seen.add(value)


def check_datasource(ds, variables, where):
    want(ds, "type", str, where)
    uid = want(ds, "uid", str, where)
    for name in VAR_RE.findall(uid):
        if variables.get(name) != "datasource":
            fail(where, f"datasource uid '{uid}' names no datasource variable")


def check_variables(dash):
    variables = {}
    for i, v in enumerate(want(want(dash, "templating", dict, "dashboard"), "list", list,
                               "templating")):
        where = f"templating.list[{i}]"
        name = want(v, "name", str, where)
        kind = want(v, "type", str, where)
        if kind not in VARIABLE_TYPES:
            fail(where, f"unknown variable type '{kind}'")
        if name in variables:
            fail(where, f"variable '{name}' defined twice")
        variables[name] = kind
        if kind == "query":
            check_datasource(want(v, "datasource", dict, where), variables, where)
            want(v, "query", (dict, str), where)
            if v.get("refresh") not in (1, 2):
                fail(where, "a query variable needs refresh 1 (on load) or 2 (on time change)")
        if kind in ("query", "custom", "datasource"):
            want(v, "query", (dict, str), where)
            want(v, "current", dict, where)
            want(v, "options", list, where)
    return variables


def check_references(text, variables, where):
    for name in VAR_RE.findall(text):
        if name not in variables and name not in BUILTINS:
            fail(where, f"'${name}' is not a dashboard variable")


def check_mappings(defaults, where):
    for j, m in enumerate(defaults.get("mappings", [])):
        if m.get("type") not in ("value", "range", "regex", "special"):
            fail(f"{where}.mappings[{j}]", "type must be value, range, regex or special")
        want(m, "options", dict, f"{where}.mappings[{j}]")


def check_panels(dash, variables):
    ids, cells = set(), {}
    panels = want(dash, "panels", list, "dashboard")
    if not panels:
        fail("dashboard", "no panels")
    for i, p in enumerate(panels):
        where = f"panels[{i}] ({p.get('title', '?')})"
        pid = want(p, "id", int, where)
        unique(ids, pid, "panel id", where)
        kind = want(p, "type", str, where)
        if kind not in PANEL_TYPES:
            fail(where, f"panel type '{kind}' is not built into Grafana 10.4")
        want(p, "title", str, where)
        grid = want(p, "gridPos", dict, where)
        for k in ("h", "w", "x", "y"):
            want(grid, k, int, f"{where}.gridPos")
        if not (1 <= grid["w"] <= 24 and grid["x"] >= 0 and grid["x"] + grid["w"] <= 24 and
                grid["h"] >= 1 and grid["y"] >= 0):
            fail(where, f"gridPos {grid} outside the 24-column grid")
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                if (x, y) in cells:
                    fail(where, f"overlaps panel {cells[(x, y)]} at column {x}, row {y}")
                cells[(x, y)] = pid
        if kind == "row":
            want(p, "collapsed", bool, where)
            if want(p, "panels", list, where) and not p["collapsed"]:
                fail(where, "an open row keeps its panels at top level, not in 'panels'")
            continue
        check_datasource(want(p, "datasource", dict, where), variables, where)
        field_config = want(p, "fieldConfig", dict, where)
        defaults = want(field_config, "defaults", dict, f"{where}.fieldConfig")
        want(field_config, "overrides", list, f"{where}.fieldConfig")
        check_mappings(defaults, where)
        want(p, "options", dict, where)
        targets = want(p, "targets", list, where)
        if not targets:
            fail(where, "no query")
        refs = set()
        for j, t in enumerate(targets):
            tw = f"{where}.targets[{j}]"
            unique(refs, want(t, "refId", str, tw), "refId", tw)
            check_datasource(want(t, "datasource", dict, tw), variables, tw)
            check_references(want(t, "expr", str, tw), variables, tw)
            check_references(t.get("legendFormat", ""), variables, tw)
            if kind == "heatmap" and "_bucket" in t["expr"] and t.get("format") != "heatmap":
                fail(tw, "a bucket query in a heatmap needs format 'heatmap'")


def check(dash):
    if want(dash, "schemaVersion", int, "dashboard") != SCHEMA_VERSION:
        fail("dashboard", f"schemaVersion must be {SCHEMA_VERSION} (Grafana 10.4)")
    want(dash, "title", str, "dashboard")
    uid = want(dash, "uid", str, "dashboard")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
        fail("dashboard", f"uid '{uid}': at most 40 of A-Z a-z 0-9 _ -")
    time = want(dash, "time", dict, "dashboard")
    want(time, "from", str, "time")
    want(time, "to", str, "time")
    want(dash, "editable", bool, "dashboard")
    if want(dash, "graphTooltip", int, "dashboard") not in (0, 1, 2):
        fail("dashboard", "graphTooltip must be 0, 1 or 2")
    want(dash, "tags", list, "dashboard")
    want(dash, "version", int, "dashboard")
    want(want(dash, "annotations", dict, "dashboard"), "list", list, "annotations")
    check_panels(dash, check_variables(dash))


def expand(expr):
    return VAR_RE.sub(lambda m: EXPANSIONS.get(m.group(1), m.group(0)), expr)


def main():
    args = sys.argv[1:]
    if not ((len(args) == 2 and args[0] in ("check", "queries")) or
            (len(args) == 4 and args[0] == "queries" and args[2] in ("--row", "--not-row"))):
        sys.exit(__doc__)
    with open(args[1]) as f:
        dash = json.load(f)
    check(dash)
    if args[0] == "check":
        n = sum(1 for p in dash["panels"] if p["type"] != "row")
        print(f"{args[1]}: schemaVersion {SCHEMA_VERSION} (Grafana 10.4), {n} panels OK")
        return
    in_row = False
    count = 0
    for p in dash["panels"]:
        if p["type"] == "row":
            in_row = len(args) == 4 and args[3] in p["title"]
            continue
        if len(args) == 4 and in_row != (args[2] == "--row"):
            continue
        for t in p.get("targets", []):
            count += 1
            print(json.dumps({"panel": p["title"], "refId": t["refId"], "expr": expand(t["expr"])}))
    if count == 0:
        sys.exit(f"{args[1]}: no panel queries selected")


if __name__ == "__main__":
    main()
