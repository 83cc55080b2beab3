#!/usr/bin/env python3
"""The lab's verdicts, report and timeline, from the guest's raw results.

  report.py OUT   reads OUT/{drills,http,sql,sql-pair,meta,kills}.csv,
                  OUT/rows-{E,F}.csv, OUT/rows-pair-{E,F}.csv,
                  OUT/pair-*.txt, OUT/status-C-*.json and
                  OUT/second-chance-C-*.txt (written by tests/lab/guest/drills.sh), and
                  OUT/prom.json, OUT/prom-pair-panels.txt (tests/lab/host/prometheus.sh),
                  writes OUT/report.md, OUT/timeline.svg and OUT/prometheus.svg,
                  prints the report.

Exit 0 when every drill's outcome is right, 1 otherwise. Outcomes only:
a node not evicted, a VIP not moved, a write lost, a request failed during a
drain. Times are measured and printed, never judged.
"""
import csv
import datetime
import json
import os
import sys

SEED_CLAIM = "所有切换在 3~10 秒内完成 (every switch-over within 3–10 s)"
WHAT = {
    "nginx_C_killed": "nginx on C killed → C evicted, traffic on D",
    "app_G_killed": "app node G killed → nginx stops using it",
    "drain_C": "planned `rsagent drain web` on C → zero failed requests",
    "mysql_E_killed": "MariaDB on E killed → E evicted, F takes the writes",
    "mysql_E_restarted": "E restarted → no writes before it has caught up",
    "director_A_cut": "director A cut off (link down) → B takes both VIPs",
    "weights_C": "C drained, then undrained → on W (misc_dynamic) C's IPVS weight 0, then its "
                 "slow start back to 100",
    "nginx_C_killed_second_chance": "nginx on C killed, second chance on (C, D peers) → "
                                    "no failed request",
}
# The pair's drills (agents with [pair] on E and F), after the seed's.
PAIR_WHAT = {
    "pair_switchover_E_F": "planned `rsagent switchover db-writer` E→F → 0 failed writes",
    "pair_E_returns_cut_off": "E returns while it cannot reach F → E stays out, F keeps writing",
}
# Requests in flight at the instant of a fault may fail; later ones may not.
SETTLE_MS = 2000
C_IP = "192.168.1.10"


def read_csv(path, names):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [dict(zip(names, row)) for row in csv.reader(f) if row]


def ints(rows, keys):
    for r in rows:
        for k in keys:
            r[k] = int(r[k]) if r.get(k) not in (None, "") else None
    return rows


class Lab:
    def __init__(self, out):
        self.out = out
        times = ["t_begin", "t_fault", "t_act", "t_restore", "t_end"]
        self.drills = ints(read_csv(f"{out}/drills.csv", ["name", *times, "acted", "recovered"]),
                           [*times, "acted", "recovered"])
        self.http = ints(read_csv(f"{out}/http.csv", ["t", "lat", "ok", "web", "app"]),
                         ["t", "lat", "ok"])
        sql_cols = ["t", "lat", "ok", "seq", "srv", "err"]
        self.sql = ints(read_csv(f"{out}/sql.csv", sql_cols), ["t", "lat", "ok", "seq", "srv"])
        self.sql_pair = ints(read_csv(f"{out}/sql-pair.csv", sql_cols),
                             ["t", "lat", "ok", "seq", "srv"])
        self.meta = {}
        if os.path.exists(f"{out}/meta.csv"):
            with open(f"{out}/meta.csv") as f:
                # Values hold commas (keepalived's version): split at the first only.
                self.meta = dict(line.rstrip("\n").partition(",")[::2] for line in f if "," in line)
        ids = {self.meta.get("server_id_E", "1"): "E", self.meta.get("server_id_F", "2"): "F"}
        for w in self.sql + self.sql_pair:
            w["node"] = ids.get(str(w["srv"]), "?")
        self.rows = {n: ints(read_csv(f"{out}/rows-{n}.csv", ["seq", "srv", "seen"]),
                             ["seq", "srv", "seen"])
                     for n in "EF"}
        self.rows_pair = {n: ints(read_csv(f"{out}/rows-pair-{n}.csv", ["seq", "srv", "seen"]),
                                  ["seq", "srv", "seen"])
                          for n in "EF"}
        # C's weight in W's IPVS table (misc_dynamic) at each change: (t, weight).
        self.weights_c = [(int(r["t"]), int(r["w"]))
                          for r in read_csv(f"{out}/weights-C.csv", ["t", "w"]) if r["w"]]
        # The lab's Prometheus (host/prometheus.sh): prom.json, and the
        # dashboard's [pair] panels run over the pair's drills.
        self.prom = None
        if os.path.exists(f"{out}/prom.json"):
            with open(f"{out}/prom.json") as f:
                self.prom = json.load(f)
        with open(f"{out}/rc") as f:
            self.guest_rc = int(f.read().strip() or 1)
        self.kills = {r["name"]: int(r["t"])
                      for r in read_csv(f"{out}/kills.csv", ["name", "t"]) if r.get("t")}

    def kill_time(self, d):
        """The kill's instant (kills.csv), else the fault's end."""
        return self.kills.get(d["name"], d["t_fault"])

    def kill_to_down_ms(self, d):
        """C's web service DOWN since (its /status at the end of the hold)
        minus the kill's instant; None when not measured or not DOWN then."""
        path = f"{self.out}/status-C-{d['name']}.json"
        if d["name"] not in self.kills or not os.path.exists(path):
            return None
        try:
            with open(path) as f:
                web = next(s for s in json.load(f)["services"] if s["name"] == "web")
            since = datetime.datetime.strptime(web["since"], "%Y-%m-%dT%H:%M:%S.%fZ")
        except (ValueError, KeyError, StopIteration):
            return None
        if web["up"]:
            return None
        since_ms = int(since.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
        return since_ms - self.kills[d["name"]]

    def handed_over(self, d):
        """{peer: (connections, packets)} from C's second chance metrics."""
        counts = {}
        for line in self.text(f"second-chance-C-{d['name']}.txt").splitlines():
            name, _, value = line.rpartition(" ")
            metric, _, labels = name.partition("{")
            peer = labels.partition('peer="')[2].partition('"')[0]
            conns, packets = counts.get(peer, (0, 0))
            if metric == "rsagent_second_chance_connections_total":
                counts[peer] = (int(float(value)), packets)
            elif metric == "rsagent_second_chance_packets_total":
                counts[peer] = (conns, int(float(value)))
        return counts

    def restart_catch_up(self):
        """What E had when it took its first write after its restart."""
        drill = next((d for d in self.drills if d["name"] == "mysql_E_restarted"), None)
        killed = next((d for d in self.drills if d["name"] == "mysql_E_killed"), None)
        if drill is None or killed is None:
            return "E's return: not measured."
        on_f = sum(1 for w in self.window(self.sql, killed["t_fault"], drill["t_end"])
                   if w["ok"] and w["node"] == "F")
        first = next((w for w in self.window(self.sql, drill["t_fault"], drill["t_end"])
                      if w["ok"] and w["node"] == "E"), None)
        if first is None:
            return (f"E's return: F took {on_f} writes after E's kill; E took none after it "
                    "came back.")
        row = next((r for r in self.rows["E"] if r["seq"] == first["seq"]), None)
        before = sum(1 for w in self.sql if w["ok"] and w["seq"] < first["seq"])
        seen = "?" if row is None else row["seen"]
        return (f"E's return: F took {on_f} writes between E's kill and its return to "
                f"rotation; E's first write after its return (seq {first['seq']}) saw {seen} "
                f"rows, {before} committed before it.")

    def ipvs_stats(self, director):
        """Per virtual service: connections and packets in/out. In DR the
        replies bypass the director, so packets out stay 0."""
        path = f"{self.out}/ipvs-stats-{director}.txt"
        if not os.path.exists(path):
            return "no stats"
        parts = []
        with open(path) as f:
            for line in f:
                cols = line.split()
                if cols and cols[0] in ("TCP", "UDP"):
                    parts.append(f"{cols[1]} {cols[2]} connections, {cols[3]} packets in, "
                                 f"{cols[4]} out")
        return "; ".join(parts) or "no virtual services"

    def window(self, reqs, start, end):
        return [r for r in reqs if start is not None and end is not None and start <= r["t"] < end]

    def text(self, name):
        path = f"{self.out}/{name}"
        if not os.path.exists(path):
            return ""
        with open(path) as f:
            return f.read().rstrip()

    @staticmethod
    def lost_writes(sql, rows):
        """Writes the client saw committed that a server does not have."""
        acked = {w["seq"] for w in sql if w["ok"]}
        return {n: sorted(acked - {r["seq"] for r in rs}) for n, rs in rows.items()}

    @staticmethod
    def behind_writes(sql, rows):
        """Writes a server took while it lacked an earlier committed write."""
        acked = sorted(w["seq"] for w in sql if w["ok"])
        # Both copies carry the writer's values (row-based binlog); either will do.
        copies = [{r["seq"]: r for r in rs} for rs in rows.values()]
        bad, before = [], 0
        for seq in acked:
            seen = [c[seq]["seen"] for c in copies if seq in c]
            if seen and min(seen) < before:
                bad.append((seq, min(seen), before))
            before += 1
        return bad


def judge(lab, d):
    """-> list of failed outcomes for drill d (empty = PASS)."""
    fails = []
    name, t_fault, t_act, t_restore = d["name"], d["t_fault"], d["t_act"], d["t_restore"]
    after_act = (t_act or t_fault) + SETTLE_MS
    http_after = lab.window(lab.http, after_act, t_restore)
    sql_after = lab.window(lab.sql, after_act, t_restore)
    if d["acted"] == 0:
        fails.append("the director did not act within 30 s")
    if d["recovered"] == 0:
        fails.append("the cluster was not whole again within 60 s of the restore")
    if name.startswith("nginx_C_killed"):
        if any(r["ok"] and r["web"] == "C" for r in http_after):
            fails.append("C still served after eviction")
        if any(not r["ok"] for r in http_after):
            fails.append("requests failed after C was evicted")
        if not any(r["ok"] and r["web"] == "D" for r in http_after):
            fails.append("D served nothing")
    if name == "nginx_C_killed_second_chance":
        # What the dead nginx held (accepted or queued) the kernel resets:
        # no one can hand that over. Everything that started later must succeed.
        late = [r for r in lab.window(lab.http, lab.kill_time(d), t_restore) if not r["ok"]]
        if late:
            fails.append(f"{len(late)} requests started after the kill failed")
        if sum(c for c, _ in lab.handed_over(d).values()) == 0:
            fails.append("no connection handed over (the drill proved nothing)")
    elif name == "app_G_killed":
        after = lab.window(lab.http, t_fault + SETTLE_MS, t_restore)
        if any(r["ok"] and r["app"] == "G" for r in after):
            fails.append("G still answered")
        if any(not r["ok"] for r in after):
            fails.append("requests failed after G was killed")
    elif name == "drain_C":
        failed = [r for r in lab.window(lab.http, d["t_begin"], d["t_end"]) if not r["ok"]]
        if failed:
            fails.append(f"{len(failed)} requests failed during the drain")
        if any(r["ok"] and r["web"] == "C" for r in http_after):
            fails.append("C took new requests while drained")
    elif name == "mysql_E_killed":
        if not any(w["ok"] and w["node"] == "F" for w in sql_after):
            fails.append("F took no writes")
    elif name == "mysql_E_restarted":
        back = lab.window(lab.sql, after_act, d["t_end"])
        if not any(w["ok"] and w["node"] == "E" for w in back):
            fails.append("E took no writes after its return")
    elif name == "weights_C":
        # From the drill's start: W can see the drain before `rsagent drain` returns.
        drained = [w for t, w in lab.weights_c if d["t_begin"] <= t < t_restore]
        if 0 not in drained:
            fails.append("C's weight on W never 0 while drained")
        ramp = [w for t, w in lab.weights_c if t >= t_restore]
        if len({w for w in ramp if 0 < w < 100}) < 2:
            fails.append(f"no slow start in C's weights on W after the undrain ({ramp})")
        # A check failing on the way (weight 0: keepalived's own verdict, e.g. a
        # timeout under load) is shown, not judged; the weights asked must climb.
        climb = [w for w in ramp if w > 0]
        if climb and (climb[-1] != 100 or climb != sorted(climb)):
            fails.append(f"C's weights on W after the undrain do not climb to 100 ({ramp})")
        if any(not r["ok"] for r in lab.window(lab.http, d["t_begin"], d["t_end"])):
            fails.append("requests failed during the drain")
    elif name == "director_A_cut":
        if not any(r["ok"] for r in http_after):
            fails.append("no HTTP through B")
        if not any(w["ok"] for w in sql_after):
            fails.append("no SQL through B")
    return fails


def judge_pair(lab, d):
    """-> list of failed outcomes for the pair's drill d (empty = PASS)."""
    fails = []
    name, t_fault, t_act, t_restore = d["name"], d["t_fault"], d["t_act"], d["t_restore"]
    sql = lab.window(lab.sql_pair, d["t_begin"], d["t_end"])
    if d["acted"] == 0:
        fails.append("the director did not act within 30 s")
    if d["recovered"] == 0:
        fails.append("the pair was not whole again within 60 s of the restore")
    if name == "pair_switchover_E_F":
        failed = [w for w in sql if not w["ok"]]
        if failed:
            fails.append(f"{len(failed)} writes failed during the switchover")
        if "switchover done" not in lab.text("pair-switchover.txt"):
            fails.append("the switchover command did not finish")
        after = lab.window(lab.sql_pair, (t_act or t_fault) + SETTLE_MS, d["t_end"])
        if any(w["ok"] and w["node"] == "E" for w in after):
            fails.append("E took writes after F became the writer")
        if not any(w["ok"] and w["node"] == "F" for w in after):
            fails.append("F took no writes")
    elif name == "pair_E_returns_cut_off":
        if any(w["ok"] and w["node"] == "E" for w in lab.window(lab.sql_pair, t_fault, d["t_end"])):
            fails.append("E took writes after it returned")
        if not any(w["ok"] and w["node"] == "F"
                   for w in lab.window(lab.sql_pair, t_fault + SETTLE_MS, t_restore)):
            fails.append("F took no writes while E was cut off")
        if "cannot confirm I hold the peer's commits" not in lab.text("pair-E-reason.txt"):
            fails.append("E's reason while cut off: " + (lab.text("pair-E-reason.txt") or "none"))
    return fails


def second_chance_report(lab):
    """nginx on C killed, second chance off and on, side by side (judged in
    the drill table above)."""
    runs = [(label, next((d for d in lab.drills if d["name"] == name), None))
            for label, name in (("off", "nginx_C_killed"),
                                ("on", "nginx_C_killed_second_chance"))]
    lines = ["## Unplanned failure: nginx on C killed, second chance off and on\n",
             "The same kill -9 of nginx on C under the same load, first with the seed's "
             "agents, then with C's and D's agents restarted with web-node.toml's second "
             "chance section (each other's peer): packets IPVS still sends to C that C "
             "cannot serve go to D at L2, and D answers the client from the VIP "
             "(docs/second-chance.md).\n",
             "| second chance | HTTP failed / sent | failed, started after the kill | "
             "kill → C's agent DOWN | director acted | handed to D: connections / packets |",
             "|---|---|---|---|---|---|"]
    for label, d in runs:
        if d is None:
            lines.append(f"| {label} | did not run | | | | |")
            continue
        http = lab.window(lab.http, d["t_begin"], d["t_end"])
        late = lab.window(lab.http, lab.kill_time(d), d["t_restore"])
        down = lab.kill_to_down_ms(d)
        acted = None if d["t_act"] is None else d["t_act"] - d["t_fault"]
        handed = lab.handed_over(d)
        handed_txt = ("—" if not handed else
                      "; ".join(f"{c} / {p}" + (f" ({peer})" if peer != "D" else "")
                                for peer, (c, p) in sorted(handed.items())))
        lines.append(f"| {label} | {sum(not r['ok'] for r in http)} / {len(http)} | "
                     f"{sum(not r['ok'] for r in late)} | "
                     f"{'not measured' if down is None else f'{down} ms'} | "
                     f"{fmt_s(acted) if acted is not None else 'never (30 s)'} | {handed_txt} |")
    lines.append("")
    lines.append("*Kill → DOWN*: C's `/status` `since` of the web service minus the instant of "
                 "the kill (both the guest's clock; event-driven DOWN is on in both runs). "
                 "*Handed to D*: C's `rsagent_second_chance_connections_total` and "
                 "`_packets_total` at the end of the hold. A request in flight on C at the kill "
                 "(accepted or queued by nginx) is reset by the kernel and cannot be handed "
                 "over; the drill fails on any request that started after the kill and failed.")
    return lines


def pair_report(lab):
    """The pair's table and checks: lines, ok."""
    drills = [d for d in lab.drills if d["name"] in PAIR_WHAT]
    lines, ok = [], True
    lines.append("## The pair: agents with `[pair]` decide the writer\n")
    lines.append("After the seed's drills the agents on E and F restart with db-node.toml's "
                 "`[pair]` (the directors unchanged): the two agents decide the one writer and "
                 "only its `/health/db-writer` answers 200. Load: SQL writes through VIP_DB "
                 f"({len(lab.sql_pair)} writes, table lab.p), each on a new connection, a "
                 "refused connection retried for up to 10 s as a pool does (nothing was sent "
                 "on it; during a handover IPVS has no writer and refuses).\n")
    lines.append("| drill | director acted after fault | SQL failed / sent | writes on E / F "
                 "after the fault | slowest write | verdict |")
    lines.append("|---|---|---|---|---|---|")
    for d in drills:
        sql = lab.window(lab.sql_pair, d["t_begin"], d["t_end"])
        after = lab.window(lab.sql_pair, d["t_fault"], d["t_end"])
        acted = None if d["t_act"] is None else d["t_act"] - d["t_fault"]
        fails = judge_pair(lab, d)
        ok &= not fails
        on = {n: sum(1 for w in after if w["ok"] and w["node"] == n) for n in "EF"}
        slowest = max((w["lat"] for w in lab.window(lab.sql_pair, d["t_begin"], d["t_end"])),
                      default=None)
        lines.append(f"| {PAIR_WHAT[d['name']]} | "
                     f"{fmt_s(acted) if acted is not None else 'never (30 s)'} | "
                     f"{sum(not w['ok'] for w in sql)} / {len(sql)} | {on['E']} / {on['F']} | "
                     f"{fmt_s(slowest)} | "
                     f"{'PASS' if not fails else 'FAIL: ' + '; '.join(fails)} |")
    if len(drills) != len(PAIR_WHAT):
        ok = False
        lines.append(f"\nFAIL: {len(drills)} of {len(PAIR_WHAT)} pair drills ran.")
    lost = lab.lost_writes(lab.sql_pair, lab.rows_pair)
    behind = lab.behind_writes(lab.sql_pair, lab.rows_pair)
    acked = sum(w["ok"] for w in lab.sql_pair)
    lines.append("")
    lines.append(f"Committed writes: {acked}; missing on E: {len(lost['E'])}, missing on F: "
                 f"{len(lost['F'])}; taken by a server that lacked an earlier committed write: "
                 f"{len(behind)}.")
    if lost["E"] or lost["F"] or behind or not lab.rows_pair["E"]:
        ok = False
    switchover = lab.text("pair-switchover.txt")
    if switchover:
        lines.append("\n`rsagent switchover db-writer` on E:\n\n```\n" + switchover + "\n```")
    reason = lab.text("pair-E-reason.txt")
    if reason:
        lines.append(f"\nE's db-writer reason while it could not reach F: `{reason}`")
    return lines, ok


def weights_report(lab):
    """Every weight W's IPVS table gave C through the weights_C drill, and
    what W's keepalived logged about C (its weight changes, failed checks)."""
    d = next((d for d in lab.drills if d["name"] == "weights_C"), None)
    if d is None:
        return []
    def seen(start, end):
        return ", ".join(f"{w} at +{fmt_s(t - start)}" for t, w in lab.weights_c
                         if start <= t < end) or "none"
    log = lab.text("logs/ka-W/log").splitlines()
    rs = f"[{C_IP}]:tcp:80"
    changes = [line for line in log if "Changing weight" in line and rs in line]
    # A lost child names the script, not the real server.
    failures = [line.split(": ", 1)[-1] for line in log
                if (rs in line and ("timed out" in line or "failed" in line)) or
                ("child (PID" in line and "lost" in line)]
    lines = ["", "Weights the real server sets (drill weights_C): W runs keepalived with checkers "
             "only (`-C`) and `conf/examples/keepalived-web-misc-dynamic.conf` as shipped "
             "(MISC_CHECK `rsagent-check`, `misc_dynamic`); C's weight in W's IPVS table "
             "(`/proc/net/ip_vs`, what `ipvsadm -Ln` shows, read every 200 ms), "
             f"from the drill's start (`rsagent drain web` at +{fmt_s(d['t_fault'] - d['t_begin'])}, "
             f"once it returned): {seen(d['t_begin'], d['t_restore'])}; "
             f"after `rsagent undrain web` (C's slow start, 20 s): "
             f"{seen(d['t_restore'], d['t_end'])}. "
             f"W's keepalived logged {len(changes)} weight changes for C" +
             (f" and these failed checks: {'; '.join(failures[:5])}" if failures
              else " and no failed check") + "."]
    return lines


def disruption_ms(reqs, t_fault, t_end):
    """From the fault to the end of the last request that failed after it,
    one already in flight at the fault included (0: none failed)."""
    ends = [r["t"] + r["lat"] for r in reqs if r["t"] < t_end and not r["ok"]]
    ends = [e for e in ends if e >= t_fault]
    return max(ends) - t_fault if ends else 0


def fmt_s(ms):
    if ms is None:
        return "—"
    return f"{ms / 1000:.2f} s" if ms < 1000 else f"{ms / 1000:.1f} s"


def report(lab):
    lines, all_ok = [], lab.guest_rc == 0
    lines.append("# rsagent lab: the seed cluster on real keepalived + IPVS\n")
    m = lab.meta
    up = fmt_s(int(m["cluster_up_ms"])) if "cluster_up_ms" in m else "?"
    lines.append(f"Guest kernel {m.get('kernel', '?')} under qemu TCG; keepalived "
                 f"{m.get('keepalived', '?').replace('Keepalived ', '')}, "
                 f"MariaDB {m.get('mariadb', '?')}, nginx {m.get('nginx', '?')}, "
                 f"{m.get('rsagent', 'rsagent ?')} (installed from its .deb). Cluster up in {up}. "
                 f"Load: HTTP through VIP_WEB ({len(lab.http)} requests), "
                 f"SQL writes through VIP_DB ({len(lab.sql)} writes), each on a new connection.\n")
    lines.append(f"Seed's claim: {SEED_CLAIM}.\n")
    lines.append("| drill | director acted after fault | client disruption | slowest request "
                 "HTTP / SQL | HTTP failed / sent | SQL failed / sent | verdict |")
    lines.append("|---|---|---|---|---|---|---|")
    for d in [d for d in lab.drills if d["name"] not in PAIR_WHAT]:
        http = lab.window(lab.http, d["t_begin"], d["t_end"])
        sql = lab.window(lab.sql, d["t_begin"], d["t_end"])
        acted = None if d["t_act"] is None else d["t_act"] - d["t_fault"]
        if d["acted"] is None:
            acted_txt = "n/a (nginx acts)"
        else:
            acted_txt = fmt_s(acted) if acted is not None else "never (30 s)"
        dis = max(disruption_ms(http, d["t_fault"], d["t_end"]),
                  disruption_ms(sql, d["t_fault"], d["t_end"]))
        fails = judge(lab, d)
        all_ok &= not fails
        verdict = "PASS" if not fails else "FAIL: " + "; ".join(fails)
        slowest = " / ".join(
            fmt_s(max((r["lat"] for r in lab.window(reqs, d["t_fault"], d["t_restore"])),
                      default=None))
            for reqs in (lab.http, lab.sql))
        lines.append(f"| {WHAT.get(d['name'], d['name'])} | {acted_txt} | "
                     f"{fmt_s(dis) if dis else 'none failed'} | "
                     f"{slowest} | "
                     f"{sum(not r['ok'] for r in http)} / {len(http)} | "
                     f"{sum(not w['ok'] for w in sql)} / {len(sql)} | {verdict} |")
    seed_drills = [d for d in lab.drills if d["name"] in WHAT]
    if len(seed_drills) != len(WHAT):
        all_ok = False
        lines.append(f"\nFAIL: {len(seed_drills)} of {len(WHAT)} drills ran "
                     f"(guest exit {lab.guest_rc}).")
    lost = lab.lost_writes(lab.sql, lab.rows)
    behind = lab.behind_writes(lab.sql, lab.rows)
    acked = sum(w["ok"] for w in lab.sql)
    lines.append("")
    lines.append(f"Committed writes (client saw COMMIT): {acked}; missing on E: {len(lost['E'])}, "
                 f"missing on F: {len(lost['F'])}" +
                 (f" (seq {lost['E'][:10]} / {lost['F'][:10]})"
                  if lost["E"] or lost["F"] else "") + ".")
    lines.append(f"Writes taken by a server that lacked an earlier committed write: {len(behind)}" +
                 (f" (seq, rows seen, rows committed before: {behind[:5]})"
                  if behind else "") + ".")
    if lost["E"] or lost["F"] or behind or not lab.rows["E"]:
        all_ok = False
    lines.append(lab.restart_catch_up())
    for d in "AB":
        lines.append(f"IPVS on director {d} at the end: {lab.ipvs_stats(d)}.")
    lines.extend(weights_report(lab))
    lines.append("")
    lines.append("*Director acted*: from the fault being in effect (the kill done, the drain "
                 "acknowledged, the restarted server answering, the link down) to the active "
                 "director's IPVS table or VIP ownership changing, polled every 200 ms. "
                 "*Client disruption*: from the fault to the end of the last failed request of "
                 "the drill, the restore included (A taking its VIPs back is a switch-over too). "
                 "*Slowest request*: the longest one started between the fault and the restore "
                 "(connection set-up retries hide a moved VIP as delay). Timeline: timeline.svg.")
    lines.append("")
    lines.append("Failed requests by drill and reason (client side):")
    lines.append("")
    for d in lab.drills:
        reasons = {}
        sql = lab.sql_pair if d["name"] in PAIR_WHAT else lab.sql
        for r in lab.window(lab.http, d["t_begin"], d["t_end"]):
            if not r["ok"]:
                key = f"HTTP {r['app']}" + (f" via {r['web']}" if r["web"] != "-" else "")
                reasons[key] = reasons.get(key, 0) + 1
        for w in lab.window(sql, d["t_begin"], d["t_end"]):
            if not w["ok"]:
                key = f"SQL {w.get('err') or 'error'}"
                reasons[key] = reasons.get(key, 0) + 1
        text = "; ".join(f"{n}× {k}" for k, n in sorted(reasons.items())) or "none"
        lines.append(f"- {d['name']}: {text}")
    lines.append("")
    lines.extend(second_chance_report(lab))
    lines.append("")
    pair_lines, pair_ok = pair_report(lab)
    lines.extend(pair_lines)
    all_ok &= pair_ok
    lines.append("")
    prom_lines, prom_ok = prometheus_report(lab)
    lines.extend(prom_lines)
    all_ok &= prom_ok
    lines.append("")
    lines.append(f"Verdict: {'PASS' if all_ok else 'FAIL'}")
    return "\n".join(lines) + "\n", all_ok


# The agents as Prometheus names them (instance = the agent's address).
NODES = {"192.168.1.10:9480": "C", "192.168.1.11:9480": "D", "192.168.1.20:9480": "E",
         "192.168.1.21:9480": "F"}


def prom_lanes(lab):
    """[(label, kind, {t_s: value})] for the plot and the table: each node's
    service verdicts, its VIPs on lo, its [pair] writer role, its scrapes."""
    lanes = []
    series = lab.prom["series"]
    for kind, key, label in (("service_up", "service", "{node} {v}"),
                             ("vip_present", "vip", "{node} VIP {v}"),
                             ("writer", "service", "{node} {v} writer role"),
                             ("scrape_up", None, "{node} scraped")):
        for s in sorted(series.get(kind, []),
                        key=lambda s: (NODES.get(s["metric"].get("instance"), "?"),
                                       s["metric"].get(key or "", ""))):
            node = NODES.get(s["metric"].get("instance"), s["metric"].get("instance", "?"))
            points = {int(float(t)): float(v) for t, v in s["values"]}
            lanes.append((label.format(node=node, v=s["metric"].get(key or "", "")), kind, points))
    return lanes


def prometheus_report(lab):
    """VIP state and backend health per drill, from the lab's Prometheus."""
    lines = ["## Prometheus: VIP state and backend health over the drills\n"]
    if lab.prom is None:
        lines.append("Not measured: no prom.json (no prometheus on the host, or the guest "
                     "recorded no metrics).")
        return lines, True
    lanes = prom_lanes(lab)
    ok = bool(lanes)
    lines.append("The four agents' `/metrics`, scraped every 2 s from director B as "
                 "Prometheus scrapes (`guest/scrape_metrics.py`: labels `job`, `instance`, "
                 "the scrape's time, `up`), backfilled into Debian's Prometheus on the host "
                 "(`promtool tsdb create-blocks-from openmetrics`) and asked with "
                 "`query_range` at a 1 s step, as a dashboard panel asks "
                 "(`host/prometheus.sh`). Per drill: seconds each verdict was 0 "
                 "(`rsagent_service_up`: DOWN, `rsagent_vip_present`: VIP missing, "
                 "`rsagent_mysql_writer_role{role=\"writer\"}`: not the writer, `up`: "
                 "scrape failed); \"·\" = never. Plot: prometheus.svg.\n")
    cols = [(label, points) for label, kind, points in lanes]
    lines.append("| drill | " + " | ".join(label for label, _ in cols) + " |")
    lines.append("|---|" + "---|" * len(cols))
    for d in lab.drills:
        t0, t1 = d["t_begin"] // 1000, d["t_end"] // 1000
        cells = []
        for _, points in cols:
            seen = [v for t, v in points.items() if t0 <= t < t1]
            zero = sum(1 for v in seen if v == 0)
            cells.append("—" if not seen else (f"{zero} s" if zero else "·"))
        lines.append(f"| {d['name']} | " + " | ".join(cells) + " |")
    if not lanes:
        lines.append("\nFAIL: Prometheus returned no series of the agents.")
    panels = lab.text("prom-pair-panels.txt")
    if panels:
        good = [line for line in panels.splitlines() if "series:" in line]
        failed = "FAIL" in panels or "no series" in panels
        ok &= not failed
        lines.append(f"\nThe shipped dashboard's [pair] panels (`packaging/grafana/"
                     f"rsagent-dashboard.json`), each query run over the pair's drills: "
                     f"{len(good)} returned series" +
                     (f"; FAIL:\n\n```\n{panels}\n```" if failed else "."))
    return lines, ok


def svg_open(width, height, font_size, title_x, title_y, title):
    """An SVG's opening: white background, a title line 2 points larger."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif" font-size="{font_size}">',
            f'<rect width="{width}" height="{height}" fill="white"/>',
            f'<text x="{title_x}" y="{title_y}" font-size="{font_size + 2}">{title}</text>']


def prometheus_svg(lab):
    """A state timeline of the lanes over the whole run, drills shaded:
    green = 1, red = 0, nothing drawn where Prometheus had no sample."""
    lanes = prom_lanes(lab)
    start, end = lab.prom["start"], lab.prom["end"]
    width, left, lane, top = 1200, 230, 16, 60
    plot = width - left - 10
    height = top + lane * len(lanes) + 20
    span = max(1, end - start)

    def x(t):
        return left + plot * (t - start) / span

    out = svg_open(width, height, 10, left, 14,
                   f"The agents' series in Prometheus over the run ({span} s): green = 1, "
                   "red = 0; drills shaded")
    for i, d in enumerate(lab.drills):
        x0, x1 = x(d["t_begin"] / 1000), x(d["t_end"] / 1000)
        out.append(f'<rect x="{x0:.1f}" y="22" width="{x1 - x0:.1f}" height="{height - 22}" '
                   f'fill="{"#eef" if i % 2 else "#efe"}"/>')
        out.append(f'<text x="{x0 + 2:.1f}" y="{32 + 10 * (i % 3)}" font-size="9">'
                   f'{d["name"]}</text>')
    for i, (label, _, points) in enumerate(lanes):
        y = top + i * lane
        out.append(f'<text x="4" y="{y + 11}">{label}</text>')
        run_start, run_value = None, None
        for t in sorted(points) + [None]:
            v = points.get(t) if t is not None else None
            if t is not None and run_value == v and t == prev + 1:
                prev = t
                continue
            if run_start is not None:
                color = "#2a9d3a" if run_value else "#d62828"
                out.append(f'<rect x="{x(run_start):.1f}" y="{y}" '
                           f'width="{max(1.0, x(prev + 1) - x(run_start)):.1f}" height="{lane - 3}" '
                           f'fill="{color}"/>')
            run_start, run_value, prev = t, v, t
    out.append("</svg>")
    return "\n".join(out) + "\n"


def timeline_svg(lab):
    """One band per drill: HTTP and SQL requests as bars from start to end
    (green ok, red failed), so a stalled request shows as a long bar."""
    width, left, band, pad = 980, 190, 70, 30
    height = pad * 2 + band * len(lab.drills)
    plot = width - left - 20
    out = svg_open(width, height, 11, left, 18,
                   "Client requests per drill, start to end: green = ok, red = failed; "
                   "black = fault, blue = director acted, grey = restore")
    for i, d in enumerate(lab.drills):
        y0 = pad + i * band
        span = max(1, d["t_end"] - d["t_begin"])

        def x(t):
            return left + plot * (t - d["t_begin"]) / span

        out.append(f'<text x="8" y="{y0 + 22}">{d["name"]}</text>')
        out.append(f'<text x="8" y="{y0 + 38}" fill="#666">{span / 1000:.0f} s</text>')
        sql = lab.sql_pair if d["name"] in PAIR_WHAT else lab.sql
        for lane, (label, reqs) in enumerate((("HTTP", lab.http), ("SQL", sql))):
            ly = y0 + 8 + lane * 26
            out.append(f'<text x="{left - 34}" y="{ly + 14}" fill="#666">{label}</text>')
            out.append(f'<rect x="{left}" y="{ly}" width="{plot}" height="20" fill="#f4f4f4"/>')
            for r in lab.window(reqs, d["t_begin"], d["t_end"]):
                color = "#2a9d3a" if r["ok"] else "#d62828"
                w = max(2.0, x(r["t"] + r["lat"]) - x(r["t"]) - 1)
                out.append(f'<rect x="{x(r["t"]):.1f}" y="{ly}" width="{w:.1f}" height="20" '
                           f'fill="{color}" fill-opacity="0.7"/>')
        marks = ((d["t_fault"], "black"), (d["t_act"], "#1f5fd6"), (d["t_restore"], "#999"))
        for t, color in marks:
            if t is not None:
                out.append(f'<line x1="{x(t):.1f}" y1="{y0 + 4}" x2="{x(t):.1f}" y2="{y0 + 60}" '
                           f'stroke="{color}" stroke-width="2"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    out = sys.argv[1]
    lab = Lab(out)
    text, ok = report(lab)
    with open(f"{out}/report.md", "w") as f:
        f.write(text)
    with open(f"{out}/timeline.svg", "w") as f:
        f.write(timeline_svg(lab))
    if lab.prom is not None:
        with open(f"{out}/prometheus.svg", "w") as f:
            f.write(prometheus_svg(lab))
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
