#!/bin/bash
# What the directors do, as timestamped changes: polls each director's IPVS
# table and VIP ownership every ~200 ms until STOP_FILE exists or MAX_SECONDS
# pass. Lines on OUT: ms,director,key,value with key = a real server
# (ip:port, value = weight, "absent" when not in the table) or vip:ADDR
# (value 1 = owned).
#
#   monitor.sh MAX_SECONDS STOP_FILE OUT NS_A NS_B RS... VIP...
set -u
max_s="$1" stop="$2" out="$3" ns_a="$4" ns_b="$5"
shift 5
declare -A last
deadline=$((SECONDS + max_s))
emit() {  # DIRECTOR KEY VALUE, only on change
  [[ ${last[$1/$2]:-} == "$3" ]] && return
  last[$1/$2]=$3
  echo "$(date +%s%3N),$1,$2,$3" >>"$out"
}
while ((SECONDS < deadline)) && [[ ! -e $stop ]]; do
  for d in A B; do
    [[ $d == A ]] && ns=$ns_a || ns=$ns_b
    table=$(ip netns exec "$ns" ipvsadm -Ln 2>/dev/null)
    addrs=$(ip -n "$ns" -4 -o addr show dev eth0 2>/dev/null)
    for key in "$@"; do
      if [[ $key == *:* ]]; then
        w=$(awk -v rs="$key" '$1 == "->" && $2 == rs {print $4}' <<<"$table")
        emit "$d" "$key" "${w:-absent}"
      elif grep -q " $key/32 " <<<"$addrs"; then
        emit "$d" "vip:$key" 1
      else
        emit "$d" "vip:$key" 0
      fi
    done
  done
  sleep 0.2
done
