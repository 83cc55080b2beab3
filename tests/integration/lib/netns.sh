# Lab topology on the host kernel, for integration tests (source after common.sh).
#
# A bridge lives in a namespace of its own; each host is a namespace attached
# to it by a veth pair whose two ends are created directly in their namespaces.
# Nothing is added to the root namespace: no address, no route, no link. The
# seed's 192.168.1.x addresses are used only in here. Everything goes away
# with the namespaces, which make_ns registers for deletion at exit.
#
#   lab_switch                      the bridge namespace ($LAB_SW, bridge br0)
#   lab_host NAME ADDR              host $TEST_ID-NAME, lp0 = ADDR/24 on the bridge;
#                                   sets LAB_NS[NAME], LAB_MAC[NAME]
#   lab_exec NAME CMD...            run CMD in host NAME
#   lab_arp_responders NAME IP      MACs that answer ARP for IP, asked from NAME
#   lab_cut NAME / lab_uncut NAME   nftables in NAME drops / stops dropping all its
#                                   bridge traffic, both ways (a partition of one)

declare -gA LAB_NS=() LAB_MAC=()
LAB_IFACE=lp0

lab_switch() {
  make_ns sw LAB_SW
  # No STP, no forwarding delay, no IGMP snooping: frames flow the moment a
  # port is up, so tests need no settling sleep.
  ip -n "$LAB_SW" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  ip -n "$LAB_SW" link set br0 up
}

lab_host() {
  local name="$1" addr="$2"
  local mac
  mac=$(printf '02:5a:00:00:00:%02x' $((${#LAB_NS[@]} + 1)))
  make_ns "$name"
  local ns="$MADE_NS"
  ip link add "$LAB_IFACE" netns "$ns" address "$mac" type veth peer name "p-$name" netns "$LAB_SW"
  ip -n "$LAB_SW" link set "p-$name" master br0 up
  ip -n "$ns" addr add "$addr/24" dev "$LAB_IFACE"
  ip -n "$ns" link set "$LAB_IFACE" up
  LAB_NS[$name]="$ns"
  LAB_MAC[$name]="$mac"
}

lab_exec() {
  local name="$1"
  shift
  ip netns exec "${LAB_NS[$name]}" "$@"
}

# Debian's arping (Habets) broadcasts every request and prints every reply,
# so all hosts that answer are seen (its -b would send from 255.255.255.255,
# which no kernel answers). Bounded by count and deadline. Prints sorted
# unique MACs.
lab_arp_responders() {
  local name="$1" ip="$2"
  lab_exec "$name" arping -c 3 -w 4 -i "$LAB_IFACE" "$ip" 2>/dev/null |
    grep -oiE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | tr 'A-F' 'a-f' | sort -u || true
}

lab_cut() {
  lab_exec "$1" nft -f - <<EOF
table inet rsagent_partition {
  chain input { type filter hook input priority 0; policy accept; iifname "$LAB_IFACE" drop; }
  chain output { type filter hook output priority 0; policy accept; oifname "$LAB_IFACE" drop; }
}
EOF
}

lab_uncut() { lab_exec "$1" nft delete table inet rsagent_partition; }
