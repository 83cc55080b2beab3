#!/usr/bin/env python3
"""A real Prometheus' HTTP API, asked what alerts_e2e_test.sh needs to know.

  prom_api.py URL firing T0_MS SECONDS SPEC...
      polls /api/v1/alerts until every SPEC is firing; prints for each the
      seconds from T0_MS (the fault) to the first poll that saw it firing, and
      fails when SECONDS pass first or when an alert fires that no SPEC names.
  prom_api.py URL resolved T0_MS SECONDS SPEC...
      polls until no alert matching a SPEC is pending or firing; prints for
      each the seconds from T0_MS (the recovery) until it was gone.
  prom_api.py URL panels START END < QUERIES
      QUERIES: grafana_dashboard.py's JSON lines; each expression is run as
      Grafana runs a panel (query_range over START..END, Unix seconds) and
      must return at least one series.
  prom_api.py URL scrape
      per target: samples per scrape, average and max scrape duration.

A SPEC is ALERTNAME{label=value,...}; the labels given must match, others
may be anything.
"""
import json
import re
import sys
import time
import urllib.parse
import urllib.request

SPEC_RE = re.compile(r"^(\w+)(?:\{(.*)\})?$")


def get(url, path, **params):
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{url}{path}?{query}", timeout=5) as answer:
        body = json.load(answer)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def parse_spec(text):
    m = SPEC_RE.match(text)
    if not m:
        sys.exit(f"bad alert spec {text!r}")
    labels = dict(kv.split("=", 1) for kv in m.group(2).split(",")) if m.group(2) else {}
    return {"alertname": m.group(1), **labels}


def matches(spec, alert):
    return all(alert["labels"].get(k) == v for k, v in spec.items())


def describe(alert):
    labels = ",".join(f"{k}={v}" for k, v in sorted(alert["labels"].items())
                      if k not in ("alertname", "job", "severity"))
    return f"{alert['labels']['alertname']}{{{labels}}} {alert['state']}"


def alerts(url):
    return get(url, "/api/v1/alerts")["alerts"]


def wait(url, t0_ms, seconds, texts, done):
    specs = [parse_spec(t) for t in texts]
    seen = {}
    deadline = time.time() + seconds
    last = []
    while time.time() < deadline:
        try:
            last = alerts(url)
        except OSError as e:
            print(f"prometheus not answering: {e}", file=sys.stderr)
            time.sleep(0.5)
            continue
        now = time.time()
        for text, spec in zip(texts, specs):
            if text not in seen and done(spec, last):
                seen[text] = now - t0_ms / 1000
        if len(seen) == len(specs):
            return seen, last
        time.sleep(0.5)
    missing = [t for t in texts if t not in seen]
    sys.exit(f"after {seconds}s still waiting for: {', '.join(missing)}\n"
             f"alerts now: {'; '.join(describe(a) for a in last) or 'none'}")


def firing(url, t0_ms, seconds, texts):
    def done(spec, now):
        return any(matches(spec, a) and a["state"] == "firing" for a in now)
    seen, now = wait(url, t0_ms, seconds, texts, done)
    specs = [parse_spec(t) for t in texts]
    unexpected = [a for a in now
                  if a["state"] == "firing" and not any(matches(s, a) for s in specs)]
    if unexpected:
        sys.exit("firing, and no fault of the test explains it: "
                 + "; ".join(describe(a) for a in unexpected))
    for text in texts:
        print(f"firing {seen[text]:6.1f} s after the fault: {text}")


def resolved(url, t0_ms, seconds, texts):
    def done(spec, now):
        return not any(matches(spec, a) for a in now)
    seen, _ = wait(url, t0_ms, seconds, texts, done)
    for text in texts:
        print(f"gone   {seen[text]:6.1f} s after recovery: {text}")


def panels(url, start, end):
    empty = []
    count = 0
    for line in sys.stdin:
        target = json.loads(line)
        count += 1
        try:
            data = get(url, "/api/v1/query_range", query=target["expr"], start=start, end=end,
                       step="2")
        except (OSError, RuntimeError) as e:
            sys.exit(f"panel '{target['panel']}' {target['refId']}: {target['expr']}: {e}")
        if not data["result"]:
            empty.append(f"panel '{target['panel']}' {target['refId']}: {target['expr']}")
        else:
            print(f"{len(data['result']):3d} series: {target['panel']} ({target['refId']})")
    if empty:
        sys.exit("no series:\n  " + "\n  ".join(empty))
    if count == 0:
        sys.exit("no panel queries on stdin")


def scrape(url):
    rows = {}
    for name, query in [("samples", "max_over_time(scrape_samples_scraped[10m])"),
                        ("avg_s", "avg_over_time(scrape_duration_seconds[10m])"),
                        ("max_s", "max_over_time(scrape_duration_seconds[10m])")]:
        for r in get(url, "/api/v1/query", query=query)["result"]:
            rows.setdefault(r["metric"]["instance"], {})[name] = float(r["value"][1])
    for instance, row in sorted(rows.items()):
        print(f"scrape {instance}: {row.get('samples', 0):.0f} samples, "
              f"avg {row.get('avg_s', 0) * 1000:.2f} ms, max {row.get('max_s', 0) * 1000:.2f} ms")


def main():
    url, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == "firing":
        firing(url, int(args[0]), float(args[1]), args[2:])
    elif command == "resolved":
        resolved(url, int(args[0]), float(args[1]), args[2:])
    elif command == "panels":
        panels(url, args[0], args[1])
    elif command == "scrape":
        scrape(url)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
