// The validated configuration: plain values, no TOML left in them.
// conf/config_loader.h turns a file into this; every default lives here,
// next to its key, and README.md "Configuration" documents the same table.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "conf/probe_spec.h"

namespace rsagent::conf {

using Millis = std::chrono::milliseconds;

// [agent]
struct AgentConfig {
  Endpoint listen{*IpAddress::Parse("0.0.0.0"), 9480};  // health for the directors
  std::vector<Cidr> allow{*Cidr::Parse("127.0.0.0/8"), *Cidr::Parse("::1/128")};  // /status, /metrics
  std::string state_dir = "/var/lib/rsagent";
  std::string control_socket = "/run/rsagent/control.sock";
  Millis shutdown_grace{5000};  // SIGTERM: answer DOWN this long before exiting
  int http_threads = 4;
  std::string log_level = "info";  // trace|debug|info|warn|error
  std::string log_format = "text";  // text|json (ECS field names, one object per line)
  // HAProxy's agent-check (read-only, `allow` applies); unset: not served.
  std::optional<Endpoint> agent_check_listen;
};

// [vip]
struct VipConfig {
  std::vector<IpAddress> addresses;
  std::string device = "lo";
  bool manage = true;          // bind at start, re-bind if removed
  int arp_ignore = 1;          // 0..8, the kernel's range
  int arp_announce = 2;        // 0..2
  // Interfaces whose ARP settings are enforced and verified besides "all";
  // empty means every IPv4 interface except `device` and lo.
  std::vector<std::string> arp_interfaces;
  bool remove_on_stop = false;  // never by default: DR flows break mid-connection
  friend bool operator==(const VipConfig&, const VipConfig&) = default;
};

// [probe.NAME]
struct ProbeConfig {
  std::string name;
  Millis interval{1000};
  Millis timeout{500};  // must not exceed interval
  int rise = 2;         // consecutive passes to turn UP
  int fall = 2;         // consecutive failures to turn DOWN
  // tcp, http: the last listener of a target destroyed turns the probe DOWN
  // at once, without waiting for `fall` attempts (probes/watched_listeners.h).
  bool watch_listener = true;
  ProbeSpec spec;       // the kind's own keys: one of the specs in probes/probe_kinds.cc
  friend bool operator==(const ProbeConfig&, const ProbeConfig&) = default;
};

enum class Role { kNone, kWriter, kReader };
const char* RoleName(Role role);  // "", "writer", "reader"

// What lowers a service's weight while it is busy.
enum class WeightBy { kNone, kConnections, kCpu };
const char* WeightByName(WeightBy by);  // "", "connections", "cpu"

// [service.NAME] weight keys: the weight the real server asks its directors
// for (keepalived misc_dynamic, HAProxy agent-check).
struct WeightConfig {
  int full = 100;        // `weight`: when UP, warm and idle; 1..253 (misc_dynamic's range)
  Millis slow_start{0};  // after turning UP, ramp from `weight_min` to full over this long
  int min_percent = 10;  // `weight_min`: percent of full the ramp starts at and load never passes
  WeightBy by = WeightBy::kNone;  // `weight_by`
  int busy_at = 0;                // `busy_at`: connections, or PSI cpu some avg10 %, at weight_min
  friend bool operator==(const WeightConfig&, const WeightConfig&) = default;
};

// [service.NAME]
struct ServiceConfig {
  std::string name;
  std::optional<IpAddress> vip;  // must be one of [vip].addresses
  uint16_t port = 0;             // the service port the directors balance
  std::vector<std::string> probes;
  Role role = Role::kNone;  // writer/reader need a probe of a kind with roles (mysql)
  WeightConfig weight;
  // The pool's panic threshold: at most this many of the group (this node
  // and every [peer.NAME]) DOWN at once for failing probes; unset: off.
  std::optional<int> max_down;
  friend bool operator==(const ServiceConfig&, const ServiceConfig&) = default;
};

// [pair]: this node's half of a MySQL master-master pair. The two agents
// decide between them which server is the writer (docs/mysql.md).
struct PairConfig {
  std::string service;            // the role = "writer" service the pair gates
  std::string probe;              // its mysql probe: the local server and the credentials
  Endpoint peer_mysql;            // the peer's MySQL, read with the same credentials
  Endpoint peer_agent;            // the peer agent's listener (GET /writer)
  Millis interval{500};           // one round of the arbitration
  Millis timeout{400};            // each round's queries and request, together
  bool fence = false;             // keep read_only=ON on this server while it is not the writer
  Millis switchover_drain{2000};  // switchover: answer DOWN this long before read_only=ON
  Millis switchover_timeout{30000};
  friend bool operator==(const PairConfig&, const PairConfig&) = default;
};

// [peer.NAME]: another real server of the same services, on the same
// segment. Only its agent's read-only /health/SERVICE is believed.
struct PeerConfig {
  std::string name;
  Endpoint agent;              // its health listener, "IP:PORT"
  // On the interface facing the directors; second chance needs it, max_down not.
  std::optional<std::array<uint8_t, 6>> mac;
  friend bool operator==(const PeerConfig&, const PeerConfig&) = default;
};

// [second_chance]: packets this node cannot serve go to a healthy peer
// (docs/second-chance.md). Off unless the section is present.
struct SecondChanceConfig {
  std::string interface;              // facing the directors; the tc program goes here
  std::vector<std::string> services;  // each with an IPv4 vip and a port
  uint32_t max_flows = 65536;         // handed-over flows remembered (LRU beyond)
  Millis poll{200};                   // each peer's verdicts read this often
  Millis timeout{200};                // one read; unanswered = DOWN
  Millis heartbeat_timeout{1000};     // agent silent this long: the program steps aside
  friend bool operator==(const SecondChanceConfig&, const SecondChanceConfig&) = default;
};

struct Config {
  std::string source;  // the file it came from, or "<embedded default>"
  AgentConfig agent;
  VipConfig vip;
  std::vector<ProbeConfig> probes;      // in file order
  std::vector<ServiceConfig> services;  // in file order
  std::optional<PairConfig> pair;
  std::vector<PeerConfig> peers;  // in file order; at most 8
  std::optional<SecondChanceConfig> second_chance;

  const ProbeConfig* FindProbe(const std::string& name) const;
  const ServiceConfig* FindService(const std::string& name) const;
};

}  // namespace rsagent::conf
