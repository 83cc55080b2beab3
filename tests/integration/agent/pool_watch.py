"""Samples the /health/SERVICE verdicts of several agents until killed.

pool_watch.py SERVICE OUT HOST:PORT... : every 20 ms, one GET to each agent
(a fresh connection, 0.5 s timeout; no answer counts as DOWN), one line per
round in OUT: the number of agents that answered 200, then each agent's
status code. SIGTERM ends it after the round in flight.
"""
import http.client
import signal
import sys
import time

service, out, agents = sys.argv[1], sys.argv[2], sys.argv[3:]
running = True


def stop(*_):
    global running
    running = False


signal.signal(signal.SIGTERM, stop)


def status(agent):
    host, port = agent.rsplit(":", 1)
    try:
        c = http.client.HTTPConnection(host, int(port), timeout=0.5)
        c.request("GET", "/health/" + service)
        code = c.getresponse().status
        c.close()
        return code
    except OSError:
        return 0


with open(out, "w", buffering=1) as f:
    while running:
        codes = [status(a) for a in agents]
        f.write("%d %s\n" % (sum(c == 200 for c in codes), " ".join(map(str, codes))))
        time.sleep(0.02)
