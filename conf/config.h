// The validated configuration: plain values, no TOML left in them.
// conf/config_loader.h turns a file into this; every default lives here,
// next to its key, and README.md "Configuration" documents the same table.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/ip_address.h"

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

struct StatusRange {
  int low = 200;
  int high = 399;
  friend bool operator==(const StatusRange&, const StatusRange&) = default;
};

struct TcpProbeSpec {
  std::vector<Endpoint> targets;  // all must connect
  friend bool operator==(const TcpProbeSpec&, const TcpProbeSpec&) = default;
};

struct HttpProbeSpec {
  std::string url;                                   // http:// or https://, literal IP host
  std::vector<StatusRange> expect_status{{200, 399}};  // "200", "200-299"
  std::string expect_body;                           // substring; empty = not checked
  std::string host_header;                           // empty = from the URL
  bool tls_verify = false;                           // local probes use self-signed certs
  friend bool operator==(const HttpProbeSpec&, const HttpProbeSpec&) = default;
};

struct ExecProbeSpec {
  // argv, run without a shell; with shell=true, a single command string for /bin/sh -c.
  std::vector<std::string> command;
  bool shell = false;
  friend bool operator==(const ExecProbeSpec&, const ExecProbeSpec&) = default;
};

struct MysqlProbeSpec {
  std::string socket;                 // unix socket, or
  std::optional<Endpoint> address;    // host:port (exactly one of the two)
  std::string credentials;            // option file with [client] user/password, mode 0600
  Millis max_lag{5000};               // reader role: lag above this is DOWN
  std::string heartbeat_table;        // "db.table" in pt-heartbeat format; empty = off
  bool semi_sync_fatal = false;       // writer DOWN when semi-sync fell back to async
  bool replication_required = false;  // DOWN when no replication channel is configured
  friend bool operator==(const MysqlProbeSpec&, const MysqlProbeSpec&) = default;
};

// A Galera node (MariaDB Galera, Percona XtraDB Cluster), judged by its wsrep
// state; docs/mysql.md "The galera probe" maps clustercheck's options onto these.
struct GaleraProbeSpec {
  std::string socket;                 // unix socket, or
  std::optional<Endpoint> address;    // host:port (exactly one of the two)
  std::string credentials;            // option file with [client] user/password, mode 0600
  bool available_when_donor = false;  // a donor (state 2) that serves queries counts as synced
  friend bool operator==(const GaleraProbeSpec&, const GaleraProbeSpec&) = default;
};

using ProbeSpec =
    std::variant<TcpProbeSpec, HttpProbeSpec, ExecProbeSpec, MysqlProbeSpec, GaleraProbeSpec>;

// [probe.NAME]
struct ProbeConfig {
  std::string name;
  Millis interval{1000};
  Millis timeout{500};  // must not exceed interval
  int rise = 2;         // consecutive passes to turn UP
  int fall = 2;         // consecutive failures to turn DOWN
  ProbeSpec spec;
  friend bool operator==(const ProbeConfig&, const ProbeConfig&) = default;
};

const char* ProbeTypeName(const ProbeSpec& spec);  // "tcp", "http", "exec", "mysql", "galera"
// Database probes report "writer" and "reader" verdicts a service's role picks.
bool ReportsRoles(const ProbeSpec& spec);

enum class Role { kNone, kWriter, kReader };
const char* RoleName(Role role);  // "", "writer", "reader"

// [service.NAME]
struct ServiceConfig {
  std::string name;
  std::optional<IpAddress> vip;  // must be one of [vip].addresses
  uint16_t port = 0;             // the service port the directors balance
  std::vector<std::string> probes;
  Role role = Role::kNone;       // writer/reader need a database probe (ReportsRoles)
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

struct Config {
  std::string source;  // the file it came from, or "<embedded default>"
  AgentConfig agent;
  VipConfig vip;
  std::vector<ProbeConfig> probes;      // in file order
  std::vector<ServiceConfig> services;  // in file order
  std::optional<PairConfig> pair;

  const ProbeConfig* FindProbe(const std::string& name) const;
  const ServiceConfig* FindService(const std::string& name) const;
};

}  // namespace rsagent::conf
