#!/usr/bin/env python3
"""Writes continuously through the VIP, as an application would: two
threads, one new connection per write, each write one transaction that
first counts which earlier acknowledged writes it can see, then inserts its
own row. One log line per attempt:

    k start_ms connected_ms end_ms outcome server_id expected seen detail

connected_ms: when its connection was up (0: none); before it, no server
had the write. outcome: ok (acknowledged), refused (no connection within the retry budget,
or the server rejected the statement: not committed), ambiguous (lost after
the COMMIT was sent: may or may not be committed). expected = acknowledged
writes before this one started; seen = how many of them it saw.
"""
import argparse
import os
import threading
import time

import pymysql

CONNECT_BUDGET_S = 5.0  # like a pool retrying connects; then the write fails


def now_ms():
    return time.time_ns() // 1_000_000


class Acked:
    def __init__(self):
        self.lock = threading.Lock()
        self.keys = []

    def snapshot(self):
        with self.lock:
            return list(self.keys)

    def add(self, k):
        with self.lock:
            self.keys.append(k)


def ranges_sql(keys):
    if not keys:
        return "FALSE"
    keys = sorted(keys)
    parts, lo, hi = [], keys[0], keys[0]
    for k in keys[1:]:
        if k == hi + 1:
            hi = k
            continue
        parts.append((lo, hi))
        lo = hi = k
    parts.append((lo, hi))
    return " OR ".join(f"k BETWEEN {a} AND {b}" for a, b in parts)


def connect(host, deadline):
    last = None
    while time.time() < deadline:
        try:
            return pymysql.connect(host=host, user="app", password="app-pw", database="t",
                                   connect_timeout=1, read_timeout=3, write_timeout=3,
                                   autocommit=False)
        except pymysql.MySQLError as e:
            last = e
            time.sleep(0.05)
    raise ConnectionError(f"no connection in {CONNECT_BUDGET_S}s: {last}")


def write(args, k, acked, out, out_lock):
    before = acked.snapshot()
    start = now_ms()
    outcome, server, seen, connected = "refused", 0, -1, 0
    try:
        conn = connect(args.host, time.time() + CONNECT_BUDGET_S)
    except ConnectionError as e:
        outcome = "refused"
        detail = str(e)
    else:
        connected = now_ms()
        sent_commit = False
        detail = ""
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT @@server_id, COUNT(*) FROM t.w WHERE {ranges_sql(before)}")
                server, seen = cur.fetchone()
                cur.execute("INSERT INTO t.w (k, srv) VALUES (%s, @@server_id)", (k,))
                sent_commit = True
                conn.commit()
            outcome = "ok"
            acked.add(k)
        except pymysql.MySQLError as e:
            # A server-side error before COMMIT returns means nothing was
            # committed; a lost connection after COMMIT was sent may have.
            outcome = "ambiguous" if sent_commit and isinstance(
                e, (pymysql.err.OperationalError, pymysql.err.InterfaceError)) and e.args and \
                e.args[0] in (2006, 2013, 2014) else "refused"
            detail = str(e)
        finally:
            try:
                conn.close()
            except Exception:
                pass
    end = now_ms()
    with out_lock:
        out.write(f"{k} {start} {connected} {end} {outcome} {server} {len(before)} {seen} "
                  f"{detail!r}\n")
        out.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--stop", required=True)
    p.add_argument("--k-base", type=int, default=0)
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    acked = Acked()
    counter = [args.k_base]
    counter_lock, out_lock = threading.Lock(), threading.Lock()
    deadline = time.time() + args.seconds
    with open(args.log, "a") as out:
        def worker():
            while not os.path.exists(args.stop) and time.time() < deadline:
                with counter_lock:
                    counter[0] += 1
                    k = counter[0]
                write(args, k, acked, out, out_lock)
                time.sleep(0.02)
        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


if __name__ == "__main__":
    main()
