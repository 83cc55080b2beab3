# Config files for the netsetup integration tests (source it).

# write_vip_config FILE DEVICE VIP... -> a minimal valid rsagent config that
# manages the VIPs on DEVICE with the default ARP values; the service and
# probe are there because the loader requires one service.
write_vip_config() {
  local file="$1" device="$2"
  shift 2
  local list="" vip
  for vip in "$@"; do list+="${list:+, }\"$vip\""; done
  local dir
  dir=$(dirname "$file")
  cat >"$file" <<TOML
[agent]
listen = "127.0.0.1:9480"
state_dir = "$dir/state"
control_socket = "$dir/control.sock"

[vip]
addresses = [$list]
device = "$device"

[probe.web]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.web]
vip = "$1"
port = 80
probes = ["web"]
TOML
}

# arp_sysctls NS -> every interface's arp_ignore/arp_announce in NS, one a line.
arp_sysctls() {
  ip netns exec "$1" sh -c 'grep -H . /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/arp_announce'
}
