"""kill_watch.py URL PID... : SIGKILLs the PIDs, then polls URL (the agent's
/health/SERVICE) over one kept-alive connection as fast as it answers and
prints the milliseconds from the kill to the first 503. Gives up after 10 s
(prints "timeout")."""
import http.client
import os
import signal
import sys
import time
from urllib.parse import urlsplit

url = urlsplit(sys.argv[1])
pids = [int(p) for p in sys.argv[2:]]
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2)


def status():
    global conn
    try:
        conn.request("GET", url.path)
        r = conn.getresponse()
        r.read()
        return r.status
    except (OSError, http.client.HTTPException):
        conn.close()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
        return 0


if status() != 200:
    sys.exit("not UP before the kill")
start = time.monotonic()
for pid in pids:
    os.kill(pid, signal.SIGKILL)
while time.monotonic() - start < 10:
    if status() == 503:
        print(f"{(time.monotonic() - start) * 1000:.1f}")
        sys.exit(0)
    time.sleep(0.0005)
print("timeout")
