#!/usr/bin/env python3
"""Follows one real server's weight in this network namespace's IPVS table.

    ipvs_weights.py IP:PORT CSV STOP_FILE

Reads /proc/net/ip_vs (what `ipvsadm -Ln` shows, addresses in hex) every
200 ms and appends `t_ms,weight` to CSV each time the weight
changes (the first reading included; an empty weight: the real server is not
in the table). One process reading a file: under TCG a fork of ipvsadm per
poll costs the cluster CPU and misses the weights that last a second.
Ends when STOP_FILE exists, or after 5 minutes.
"""
import ipaddress
import os
import sys
import time

INTERVAL_S = 0.2
MAX_S = 300


def hex_endpoint(endpoint):
    ip, port = endpoint.rsplit(":", 1)
    return f"{int(ipaddress.IPv4Address(ip)):08X}:{int(port):04X}"


def weight_of(table, rs):
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "->" and fields[1] == rs:
            return fields[3]
    return ""


def main():
    rs, out_path, stop_file = sys.argv[1:4]
    rs = hex_endpoint(rs)
    deadline = time.monotonic() + MAX_S
    last = None
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        with open("/proc/net/ip_vs") as f:
            weight = weight_of(f.read(), rs)
        if weight != last:
            with open(out_path, "a") as out:
                out.write(f"{int(time.time() * 1000)},{weight}\n")
            last = weight
        time.sleep(INTERVAL_S)


if __name__ == "__main__":
    main()
