#!/usr/bin/env python3
"""The agents' /metrics, scraped as Prometheus scrapes them, recorded for the
host's Prometheus (tests/lab/host/prometheus.sh).

  scrape_metrics.py --interval S --max-seconds S --stop-file F --out OUT.gz NODE=HOST:PORT...

Every interval, from one process (the guest has no Prometheus, and a process
per scrape would take CPU from the cluster under TCG), GET /metrics of each
agent; each sample is written as an OpenMetrics line with the labels
Prometheus adds (job="rsagent", instance="HOST:PORT") and the scrape's start
time, plus `up` (1 when the scrape answered 200, else 0) as Prometheus
records it. No # HELP/# TYPE lines: the families are typed "unknown", which
PromQL does not care about. gzip (its fastest level): the text repeats
itself and the results disk is small. Runs until F exists or --max-seconds pass.
"""
import argparse
import gzip
import os
import time
import urllib.request


def scrape(target, timeout):
    try:
        with urllib.request.urlopen(f"http://{target}/metrics", timeout=timeout) as answer:
            return answer.read().decode("utf-8", errors="replace") if answer.status == 200 else None
    except OSError:
        return None


def with_target(line, labels):
    """`name{a="b"} 1` -> `name{job=..,instance=..,a="b"}` and its value."""
    series, _, value = line.rpartition(" ")
    if "{" in series:
        name, _, rest = series.partition("{")
        series = f"{name}{{{labels},{rest}" if rest != "}" else f"{name}{{{labels}}}"
    else:
        series = f"{series}{{{labels}}}"
    return series, value


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--interval", type=float, default=1.0)
    p.add_argument("--max-seconds", type=float, required=True)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("targets", nargs="+", help="NODE=HOST:PORT")
    a = p.parse_args()
    targets = [t.split("=", 1)[1] for t in a.targets]
    deadline = time.monotonic() + a.max_seconds
    next_at = time.monotonic()
    with gzip.open(a.out, "wt", compresslevel=1) as out:
        while time.monotonic() < deadline and not os.path.exists(a.stop_file):
            for target in targets:
                t = time.time()
                labels = f'job="rsagent",instance="{target}"'
                text = scrape(target, timeout=min(1.0, a.interval))
                out.write(f"up{{{labels}}} {1 if text is not None else 0} {t:.3f}\n")
                for line in (text or "").splitlines():
                    if not line or line.startswith("#"):
                        continue
                    series, value = with_target(line, labels)
                    out.write(f"{series} {value} {t:.3f}\n")
            next_at += a.interval
            time.sleep(max(0.0, next_at - time.monotonic()))


if __name__ == "__main__":
    main()
