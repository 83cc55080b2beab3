#!/bin/bash
# Steady, bounded SQL writes through VIP_DB, one new connection per write.
#
#   load_sql.sh VIP RATE MAX_SECONDS STOP_FILE OUT
#
# Write N inserts seq=N and, in the same statement, how many rows the server
# already had (seen): a server that takes a write before it has every earlier
# committed write shows seen < the number committed before. Each write is a
# CSV line on OUT: start_ms,latency_ms,ok,seq,server_id (ok = the client saw
# COMMIT succeed). Row-based binlog: replicas store the values the writer saw.
set -u
vip="$1" rate="$2" max_s="$3" stop="$4" out="$5"
period_ms=$((1000 / rate))
deadline=$((SECONDS + max_s))
seq=0
while ((SECONDS < deadline)) && [[ ! -e $stop ]]; do
  seq=$((seq + 1))
  t0=$(date +%s%3N)
  srv=$(MYSQL_PWD=labpw timeout 10 mariadb --no-defaults -h "$vip" -ulab --connect-timeout=2 -N -B lab \
    <<<"SET SESSION binlog_format=ROW;
        INSERT INTO w (seq, srv, seen) SELECT $seq, @@server_id, COUNT(*) FROM w;
        SELECT @@server_id;" 2>/dev/null)
  rc=$?
  t1=$(date +%s%3N)
  ok=0
  [[ $rc == 0 && $srv =~ ^[0-9]+$ ]] && ok=1
  echo "$t0,$((t1 - t0)),$ok,$seq,${srv:-0}" >>"$out"
  sleep_ms=$((period_ms - (t1 - t0)))
  ((sleep_ms > 0)) && sleep "0.$(printf '%03d' "$sleep_ms")"
done
