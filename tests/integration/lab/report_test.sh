#!/bin/bash
# tests/lab/report.py judges outcomes right: a clean run passes, and each
# wrong outcome fails it — a committed write missing, a write taken by a
# server that was behind, a request failed during the drain, a director that
# did not act, a cluster not whole again, C's misc_dynamic weight not 0 while
# drained or not ramping back after it; for the pair's drills a write failed
# during the switchover, a write on E after it returned cut off, E's reason
# not saying why; the Prometheus section's seconds DOWN per drill, and a
# dashboard [pair] panel without series; with second chance, a request
# started after the kill that failed, or nothing handed over. Synthetic
# results, no VM.
source "$RSAGENT_SOURCE_DIR/tests/integration/lib/common.sh"
make_tmp
report="$RSAGENT_SOURCE_DIR/tests/lab/report.py"

# Eight drills of 10 s each; in each: fault at +2 s, director acts at +3 s,
# restore at +6 s; HTTP every 0.5 s served by D from H; one write at +5 s
# (on F while E is out, else on E) and every write sees all earlier ones.
make_clean_run() {  # DIR
  mkdir -p "$1"
  python3 - "$1" <<'PY'
import sys
out = sys.argv[1]
names = ["nginx_C_killed", "app_G_killed", "drain_C", "mysql_E_killed",
         "mysql_E_restarted", "director_A_cut", "nginx_C_killed_second_chance", "weights_C"]
with open(f"{out}/drills.csv", "w") as d, open(f"{out}/http.csv", "w") as h, \
     open(f"{out}/sql.csv", "w") as s, open(f"{out}/rows-E.csv", "w") as e, \
     open(f"{out}/rows-F.csv", "w") as f:
    for i, name in enumerate(names):
        t = 1_000_000 + i * 10_000
        acted = "" if name == "app_G_killed" else "1"
        t_act = "" if not acted else t + 3000
        d.write(f"{name},{t},{t + 2000},{t_act},{t + 6000},{t + 9000},{acted},1\n")
        for k in range(18):
            h.write(f"{t + k * 500},20,1,D,H\n")
        srv = 2 if name == "mysql_E_killed" else 1
        seq = i + 1
        s.write(f"{t + 5000},100,1,{seq},{srv},\n")
        e.write(f"{seq},{srv},{seq - 1}\n")
        f.write(f"{seq},{srv},{seq - 1}\n")
# C's agent after each nginx kill (at +2 s - 1 ms): DOWN 12 ms after it; with
# second chance 3 connections (9 packets) handed to D.
import datetime, json
with open(f"{out}/kills.csv", "w") as k:
    for i, name in ((0, "nginx_C_killed"), (6, "nginx_C_killed_second_chance")):
        t_kill = 1_000_000 + i * 10_000 + 1999
        k.write(f"{name},{t_kill}\n")
        since = datetime.datetime.fromtimestamp((t_kill + 12) / 1000, datetime.timezone.utc)
        json.dump({"services": [{"name": "web", "up": False,
                                 "since": since.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"}]},
                  open(f"{out}/status-C-{name}.json", "w"))
open(f"{out}/second-chance-C-nginx_C_killed_second_chance.txt", "w").write(
    'rsagent_second_chance_packets_total{peer="D"} 9\n'
    'rsagent_second_chance_connections_total{peer="D"} 3\n'
    'rsagent_peer_up{peer="D",service="web"} 1\n')
# The pair's two drills after them, on table lab.p: the switchover (a write
# on E before it, one on F after) and E cut off (one write on F).
with open(f"{out}/drills.csv", "a") as d, open(f"{out}/sql-pair.csv", "w") as s, \
     open(f"{out}/rows-pair-E.csv", "w") as e, open(f"{out}/rows-pair-F.csv", "w") as f:
    seq = 0
    for i, name in enumerate(["pair_switchover_E_F", "pair_E_returns_cut_off"]):
        t = 1_100_000 + i * 10_000
        d.write(f"{name},{t},{t + 2000},{t + 3000},{t + 6000},{t + 9000},1,1\n")
        for at, srv in ([(1000, 1), (5000, 2)] if i == 0 else [(5000, 2)]):
            seq += 1
            s.write(f"{t + at},100,1,{seq},{srv},\n")
            e.write(f"{seq},{srv},{seq - 1}\n")
            f.write(f"{seq},{srv},{seq - 1}\n")
open(f"{out}/pair-switchover.txt", "w").write(
    "db-writer: switchover done; peer 192.168.1.21 is the writer\n")
open(f"{out}/pair-E-reason.txt", "w").write(
    "pair: cannot confirm I hold the peer's commits: cannot read the GTID position\n")
open(f"{out}/meta.csv", "w").write("server_id_E,1\nserver_id_F,2\n")
# weights_C (the eighth: fault at +2 s, restore at +6 s): C's weight in W's
# IPVS table 100, 0 when drained, then a slow start back to 100.
t = 1_000_000 + 7 * 10_000
open(f"{out}/weights-C.csv", "w").write("".join(
    f"{t + at},{w}\n" for at, w in [(0, 100), (2500, 0), (6500, 10), (7000, 40), (7500, 70),
                                     (8000, 100)]))
import os
os.makedirs(f"{out}/logs/ka-W")
open(f"{out}/logs/ka-W/log", "w").write(
    "Tue Dec  1 18:28:05 2026: Changing weight from 100 to 0 for active service "
    "[192.168.1.10]:tcp:80 of VS [192.168.1.100]:tcp:80\n")
open(f"{out}/rc", "w").write("0\n")
PY
}

expect_verdict() {  # NAME DIR PASS|FAIL TEXT
  local rc=0
  python3 "$report" "$2" >"$2/out.txt" 2>&1 || rc=$?
  if [[ $3 == PASS ]]; then
    ((rc == 0)) || { cat "$2/out.txt" >&2; fail "$1: expected PASS"; }
  else
    ((rc == 1)) || { cat "$2/out.txt" >&2; fail "$1: expected FAIL, exit $rc"; }
  fi
  grep -qF -- "$4" "$2/out.txt" || { cat "$2/out.txt" >&2; fail "$1: no '$4' in the report"; }
  [[ -s $2/timeline.svg ]] || fail "$1: no timeline.svg"
  pass "$1"
}

make_clean_run "$TMP/clean"
expect_verdict "clean run" "$TMP/clean" PASS "Verdict: PASS"
grep -qF "after \`rsagent undrain web\` (C's slow start, 20 s): 10 at +0.50 s, 40 at +1.0 s, 70 at +1.5 s, 100 at +2.0 s" \
  "$TMP/clean/out.txt" || fail "the weights' line: $(grep -F 'drill weights_C' "$TMP/clean/out.txt")"
grep -qF "W's keepalived logged 1 weight changes for C and no failed check" "$TMP/clean/out.txt" ||
  fail "W's log not summed up: $(grep -F 'drill weights_C' "$TMP/clean/out.txt")"

make_clean_run "$TMP/lost"
sed -i '/^4,/d' "$TMP/lost/rows-F.csv"
expect_verdict "committed write missing on F" "$TMP/lost" FAIL "missing on F: 1"

make_clean_run "$TMP/behind"
sed -i 's/^5,1,4$/5,1,3/' "$TMP/behind/rows-E.csv"
expect_verdict "write taken while behind" "$TMP/behind" FAIL \
  "lacked an earlier committed write: 1"

make_clean_run "$TMP/drain"
echo "1020500,5000,0,-,TimeoutError" >>"$TMP/drain/http.csv"
expect_verdict "request failed during the drain" "$TMP/drain" FAIL \
  "1 requests failed during the drain"

make_clean_run "$TMP/not-evicted"
sed -i 's/^nginx_C_killed,\([0-9]*\),\([0-9]*\),[0-9]*,\(.*\),1,1$/nginx_C_killed,\1,\2,,\3,0,1/' \
  "$TMP/not-evicted/drills.csv"
expect_verdict "director did not act" "$TMP/not-evicted" FAIL "did not act within 30 s"

make_clean_run "$TMP/not-whole"
sed -i 's/^\(director_A_cut,.*\),1$/\1,0/' "$TMP/not-whole/drills.csv"
expect_verdict "cluster not whole again" "$TMP/not-whole" FAIL "not whole again"

make_clean_run "$TMP/missing-drill"
sed -i '/^director_A_cut,/d' "$TMP/missing-drill/drills.csv"
expect_verdict "a drill did not run" "$TMP/missing-drill" FAIL "7 of 8 drills ran"

make_clean_run "$TMP/sc"
expect_verdict "second chance side by side" "$TMP/sc" PASS "| on | 0 / 18 | 0 | 12 ms | 1.0 s | 3 / 9 |"

make_clean_run "$TMP/sc-failed"
echo "1062500,3,0,-,ConnectionRefusedError" >>"$TMP/sc-failed/http.csv"
expect_verdict "second chance: a request after the kill failed" "$TMP/sc-failed" FAIL \
  "1 requests started after the kill failed"

make_clean_run "$TMP/sc-nothing"
: >"$TMP/sc-nothing/second-chance-C-nginx_C_killed_second_chance.txt"
expect_verdict "second chance: nothing handed over" "$TMP/sc-nothing" FAIL \
  "no connection handed over"

make_clean_run "$TMP/switchover-failed-write"
echo "1104000,5000,0,9,0,ERROR 2002" >>"$TMP/switchover-failed-write/sql-pair.csv"
expect_verdict "a write failed during the switchover" "$TMP/switchover-failed-write" FAIL \
  "1 writes failed during the switchover"

make_clean_run "$TMP/e-wrote"
echo "1115500,100,1,4,1," >>"$TMP/e-wrote/sql-pair.csv"
for n in E F; do echo "4,1,3" >>"$TMP/e-wrote/rows-pair-$n.csv"; done
expect_verdict "E took a write after it returned" "$TMP/e-wrote" FAIL "E took writes after it returned"

make_clean_run "$TMP/e-reason"
echo "pair: peer 192.168.1.21 is the writer (term 2)" >"$TMP/e-reason/pair-E-reason.txt"
expect_verdict "E's reason while cut off" "$TMP/e-reason" FAIL "E's reason while cut off"

make_clean_run "$TMP/stuck-at-0"
sed -i '/,[1-9][0-9]*$/d' "$TMP/stuck-at-0/weights-C.csv"
echo "Tue Dec  1 18:28:09 2026: Misc check for [[192.168.1.10]:tcp:80 VS [192.168.1.100]:tcp:80] by [/usr/bin/rsagent-check] timed out with retry disabled." \
  >>"$TMP/stuck-at-0/logs/ka-W/log"
expect_verdict "C's weight stuck at 0 after the undrain" "$TMP/stuck-at-0" FAIL \
  "no slow start in C's weights on W after the undrain"
grep -qF "timed out with retry disabled" "$TMP/stuck-at-0/out.txt" || fail "the failed check is not quoted"

make_clean_run "$TMP/falls-back"
sed -i 's/,40$/,5/' "$TMP/falls-back/weights-C.csv"
expect_verdict "C's weight falling back during the ramp" "$TMP/falls-back" FAIL \
  "do not climb to 100"

make_clean_run "$TMP/check-failed-once"
sed -i 's/,40$/,0/' "$TMP/check-failed-once/weights-C.csv"
expect_verdict "one failed check during the ramp (weight 0), then the climb" \
  "$TMP/check-failed-once" PASS "10 at +0.50 s, 0 at +1.0 s, 70 at +1.5 s"

make_clean_run "$TMP/never-0"
sed -i '/,0$/d' "$TMP/never-0/weights-C.csv"
expect_verdict "C's weight not 0 while drained" "$TMP/never-0" FAIL "never 0 while drained"

make_clean_run "$TMP/pair-missing"
sed -i '/^pair_E_returns_cut_off,/d' "$TMP/pair-missing/drills.csv"
expect_verdict "a pair drill did not run" "$TMP/pair-missing" FAIL "1 of 2 pair drills ran"

# The lab's Prometheus (host/prometheus.sh): C's web DOWN for 3 s of
# nginx_C_killed (t 1002..1004 s) in its series, the [pair] panels answered.
add_prometheus() {  # DIR PANELS-TEXT
  python3 - "$1" <<'PY'
import json, sys
out = sys.argv[1]
span = range(990, 1121)
def series(name, labels, down=()):
    return {"metric": {"__name__": name, "job": "rsagent", **labels},
            "values": [[t, "0" if t in down else "1"] for t in span]}
c = {"instance": "192.168.1.10:9480"}
json.dump({"start": 990, "end": 1120, "step": 1, "series": {
    "service_up": [series("rsagent_service_up", {**c, "service": "web"}, down=range(1002, 1005))],
    "vip_present": [series("rsagent_vip_present", {**c, "vip": "192.168.1.100"})],
    "scrape_up": [series("up", c)], "writer": []}}, open(f"{out}/prom.json", "w"))
PY
  printf '%s\n' "$2" >"$1/prom-pair-panels.txt"
}
make_clean_run "$TMP/prom"
add_prometheus "$TMP/prom" "  2 series: Pair role per node (A)"
expect_verdict "Prometheus series in the report" "$TMP/prom" PASS "| nginx_C_killed | 3 s | · | · |"
[[ -s $TMP/prom/prometheus.svg ]] || fail "no prometheus.svg"

make_clean_run "$TMP/prom-pair-empty"
add_prometheus "$TMP/prom-pair-empty" "no series:
  panel 'Writer term' A: max by (instance, service) (rsagent_mysql_writer_term)"
expect_verdict "a [pair] panel without series" "$TMP/prom-pair-empty" FAIL "panel 'Writer term' A"
