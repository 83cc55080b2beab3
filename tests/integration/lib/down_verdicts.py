"""DOWN verdicts between two /status documents: down_verdicts.py BEFORE AFTER.

Counts, over probes, their roles and services, each flip to DOWN of a
verdict (from UP, odd flips end DOWN: every second flip is a DOWN); prints
the count on stdout and each verdict that flipped on stderr. Shared by
integration.agent.starved_host and the scale bench's starved section.
"""
import json
import sys


def verdicts(doc):
    out = {}
    for p in doc["probes"]:
        out["probe " + p["name"]] = (p["up"], p["transitions"])
        for role, r in p.get("roles", {}).items():
            out["probe %s (%s)" % (p["name"], role)] = (r["up"], r["transitions"])
    for s in doc["services"]:
        out["service " + s["name"]] = (s["up"], s["transitions"])
    return out


before, after = (verdicts(json.load(open(path))) for path in sys.argv[1:3])
downs = 0
for name, (up, t) in after.items():
    was_up, t0 = before.get(name, (True, t))
    flips = t - t0
    if flips:
        print(name, "flipped", flips, "time(s)", file=sys.stderr)
    downs += (flips + 1) // 2 if was_up else flips // 2
print(downs)
