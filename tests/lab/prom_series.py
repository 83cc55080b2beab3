#!/usr/bin/env python3
"""The series the lab report draws, asked of the lab's Prometheus
(tests/lab/host/prometheus.sh) as a Grafana panel asks: query_range over the
whole run, step 1 s.

  prom_series.py URL OUT   reads OUT/drills.csv (the run's span), writes OUT/prom.json:
                           {"start": s, "end": s, "step": 1,
                            "series": {NAME: [{"metric": {...}, "values": [[t, "v"], ...]}]}}
"""
import csv
import json
import sys
import urllib.parse
import urllib.request

# NAME -> PromQL. What the seed's best practice watches: VIP state and
# backend health (the service verdicts the directors read), and the pair.
QUERIES = {
    "service_up": 'rsagent_service_up{job="rsagent"}',
    "vip_present": 'rsagent_vip_present{job="rsagent"}',
    "scrape_up": 'up{job="rsagent"}',
    "writer": 'rsagent_mysql_writer_role{job="rsagent",role="writer"}',
}


def query_range(url, expr, start, end):
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": 1})
    with urllib.request.urlopen(f"{url}/api/v1/query_range?{params}", timeout=30) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return body["data"]["result"]


def main():
    url, out = sys.argv[1], sys.argv[2]
    with open(f"{out}/drills.csv", newline="") as f:
        drills = [row for row in csv.reader(f) if row]
    if not drills:
        sys.exit("no drills ran: nothing to ask")
    start = int(drills[0][1]) // 1000 - 10
    end = int(drills[-1][5]) // 1000 + 1
    series = {name: query_range(url, expr, start, end) for name, expr in QUERIES.items()}
    with open(f"{out}/prom.json", "w") as f:
        json.dump({"start": start, "end": end, "step": 1, "series": series}, f)
    print(", ".join(f"{name}: {len(s)} series" for name, s in series.items()))


if __name__ == "__main__":
    main()
