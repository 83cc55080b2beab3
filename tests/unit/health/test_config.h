// Builds configs for agent tests without going through TOML.
#pragma once

#include "conf/config.h"
#include "probes/mysql_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::agent::testing {

inline conf::ProbeConfig TcpProbe(const std::string& name, int rise = 2, int fall = 2) {
  conf::ProbeConfig p;
  p.name = name;
  p.rise = rise;
  p.fall = fall;
  p.interval = std::chrono::milliseconds(1000);
  p.timeout = std::chrono::milliseconds(500);
  p.spec = probes::TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80")}};
  return p;
}

inline conf::ProbeConfig MysqlProbe(const std::string& name) {
  conf::ProbeConfig p = TcpProbe(name, 1, 1);
  p.spec = probes::MysqlProbeSpec{.socket = "/run/mysqld/mysqld.sock"};
  return p;
}

inline conf::ServiceConfig Service(const std::string& name, std::vector<std::string> probes,
                                   conf::Role role = conf::Role::kNone) {
  conf::ServiceConfig s;
  s.name = name;
  s.port = 80;
  s.probes = std::move(probes);
  s.role = role;
  return s;
}

}  // namespace rsagent::agent::testing
