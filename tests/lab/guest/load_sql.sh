#!/bin/bash
# Steady, bounded SQL writes through VIP_DB, one new connection per write.
#
#   load_sql.sh VIP RATE MAX_SECONDS STOP_FILE OUT [TABLE [CONNECT_RETRY_S]]
#
# TABLE (default w) in database lab. CONNECT_RETRY_S (default 0): retry a
# write whose connection was refused for up to this long, as a connection
# pool does; nothing was sent on a refused connection, so no write is
# ever made twice (with [pair] there is a moment without a writer, and IPVS
# refuses a new connection then: ICMP port unreachable).
#
# Write N inserts seq=N and, in the same statement, how many rows the server
# already had (seen): a server that takes a write before it has every earlier
# committed write shows seen < the number committed before. Each write is a
# CSV line on OUT: start_ms,latency_ms,ok,seq,server_id,error (ok = the client
# saw COMMIT succeed). Row-based binlog: replicas store the values the writer saw.
set -u
vip="$1" rate="$2" max_s="$3" stop="$4" out="$5" table="${6:-w}" retry_s="${7:-0}"
period_ms=$((1000 / rate))
deadline=$((SECONDS + max_s))
seq=0
errf=$(mktemp)
trap 'rm -f "$errf"' EXIT
while ((SECONDS < deadline)) && [[ ! -e $stop ]]; do
  seq=$((seq + 1))
  t0=$(date +%s%3N)
  while :; do
    srv=$(MYSQL_PWD=labpw timeout 15 \
      mariadb --no-defaults -h "$vip" -ulab --connect-timeout=5 -N -B lab \
      <<<"SET SESSION binlog_format=ROW;
          INSERT INTO $table (seq, srv, seen) SELECT $seq, @@server_id, COUNT(*) FROM $table;
          SELECT @@server_id;" 2>"$errf")
    rc=$?
    t1=$(date +%s%3N)
    # ERROR 2002/2003 "Can't connect": refused before anything was sent.
    [[ $rc != 0 ]] && grep -q "Can't connect" "$errf" && ((t1 - t0 < retry_s * 1000)) || break
    sleep 0.1
  done
  ok=0
  [[ $rc == 0 && $srv =~ ^[0-9]+$ ]] && ok=1
  err=""
  ((ok)) || err=$(head -n 1 "$errf" | tr -d ',' | cut -c1-100)
  [[ $rc == 124 ]] && err="timeout 15 s"
  echo "$t0,$((t1 - t0)),$ok,$seq,${srv:-0},$err" >>"$out"
  sleep_ms=$((period_ms - (t1 - t0)))
  if ((sleep_ms > 0)); then sleep "0.$(printf '%03d' "$sleep_ms")"; fi
done
