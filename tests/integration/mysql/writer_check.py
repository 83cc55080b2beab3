#!/usr/bin/env python3
"""The pair's invariants over a client log (writer_client.py) and the rows
both servers hold after the faults healed. Prints one summary line; exits 1
on a violation and prints the first few.

  lost      an acknowledged write missing on a server
  stale     an acknowledged write made on a server that did not see an
            earlier acknowledged write (seen < expected)
  overlap   two acknowledged writes on different servers whose
            [connected, end] intervals overlap: two writers at the same time
            (while a write still waits for a connection, no server has it;
            what it must see is fixed at its start)
"""
import argparse
import sys


def read_log(path, since_k):
    writes = []
    with open(path) as f:
        for line in f:
            parts = line.split(" ", 8)
            if len(parts) < 8:
                continue
            k, start, connected, end, outcome, server, expected, seen = parts[:8]
            if int(k) <= since_k:
                continue
            writes.append(dict(k=int(k), start=int(start), connected=int(connected),
                               end=int(end), outcome=outcome, server=int(server),
                               expected=int(expected), seen=int(seen),
                               detail=parts[8].strip() if len(parts) > 8 else ""))
    return writes


def read_rows(path):
    with open(path) as f:
        return {int(x) for x in f.read().split()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--log", required=True)
    p.add_argument("--rows", nargs=2, required=True, help="files with the k of each row, per server")
    p.add_argument("--since-k", type=int, default=0, help="check only writes with k above this")
    p.add_argument("--label", default="")
    args = p.parse_args()
    writes = read_log(args.log, args.since_k)
    rows = [read_rows(f) for f in args.rows]
    ok = [w for w in writes if w["outcome"] == "ok"]
    violations = []
    for w in ok:
        for i, r in enumerate(rows):
            if w["k"] not in r:
                violations.append(f"lost: acknowledged write {w['k']} (on server {w['server']}) "
                                  f"missing on server {'ab'[i]}")
        if w["seen"] != w["expected"]:
            violations.append(f"stale: write {w['k']} on server {w['server']} saw {w['seen']} of "
                              f"{w['expected']} earlier acknowledged writes")
    # Sweep by connection time: the latest end so far per server.
    latest = {}
    for w in sorted(ok, key=lambda w: w["connected"]):
        for server, (end, k) in latest.items():
            if server != w["server"] and end > w["connected"]:
                violations.append(f"overlap: write {k} on server {server} ended at {end}, after "
                                  f"write {w['k']} on server {w['server']} connected at "
                                  f"{w['connected']}")
        prev = latest.get(w["server"])
        if prev is None or w["end"] > prev[0]:
            latest[w["server"]] = (w["end"], w["k"])
    servers = {}
    for w in ok:
        servers[w["server"]] = servers.get(w["server"], 0) + 1
    counts = {o: sum(1 for w in writes if w["outcome"] == o) for o in ("ok", "refused", "ambiguous")}
    print(f"{args.label}writes {len(writes)}: ok {counts['ok']} refused {counts['refused']} "
          f"ambiguous {counts['ambiguous']}; ok per server {dict(sorted(servers.items()))}; "
          f"violations {len(violations)}")
    for v in violations[:10]:
        print("  " + v)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
