#!/usr/bin/env python3
"""Steady, bounded HTTP load through VIP_WEB, one new connection per request.

Each request is a line of CSV on OUT: start_ms,latency_ms,ok,web,app
(web = the X-Web header of the nginx that answered, app = the app node named
in the body). Runs until STOP_FILE exists or --max-seconds pass.
"""
import argparse
import http.client
import os
import time


def one_request(host, timeout):
    conn = http.client.HTTPConnection(host, 80, timeout=timeout)
    try:
        conn.request("GET", "/")
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace").strip()
        ok = resp.status == 200 and body.startswith("app ")
        return ok, resp.getheader("X-Web", "-"), body[4:] if ok else str(resp.status)
    except (OSError, http.client.HTTPException) as e:
        return False, "-", type(e).__name__
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--rate", type=float, default=10.0)
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--max-seconds", type=float, required=True)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    period = 1.0 / a.rate
    deadline = time.monotonic() + a.max_seconds
    with open(a.out, "a", buffering=1) as out:
        next_at = time.monotonic()
        while time.monotonic() < deadline and not os.path.exists(a.stop_file):
            start_ms = time.time_ns() // 1_000_000
            t0 = time.monotonic()
            ok, web, app = one_request(a.host, a.timeout)
            latency_ms = int((time.monotonic() - t0) * 1000)
            out.write(f"{start_ms},{latency_ms},{int(ok)},{web},{app}\n")
            next_at += period
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at = max(next_at, time.monotonic() - period)


if __name__ == "__main__":
    main()
