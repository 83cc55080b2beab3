#!/bin/bash
# A Percona-clustercheck-style responder: inetd/socat forks this per
# connection; it reads the HTTP request, asks the server through the mariadb
# client (one process and one connection per check, as clustercheck does) and
# answers 200 when the node takes writes, 503 otherwise.
#   clustercheck.sh SOCKET
SOCKET=$1
while IFS= read -r -t 2 line; do
  [[ $line == $'\r' || -z $line ]] && break
done
read_only=$(mariadb --no-defaults -S "$SOCKET" -uroot --connect-timeout=2 -N -B \
  -e "SELECT @@global.read_only" 2>/dev/null)
if [[ $read_only == 0 ]]; then
  body="MariaDB node is synced."
  printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s' "${#body}" "$body"
else
  body="MariaDB node is not synced."
  printf 'HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s' "${#body}" "$body"
fi
