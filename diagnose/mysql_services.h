// The services a mysql probe feeds, with that probe: what the MySQL checks
// look at.
#pragma once

#include <vector>

#include "conf/config.h"
#include "probes/mysql_probe.h"

namespace rsagent::agent::diagnose {

struct MysqlService {
  const conf::ServiceConfig* service;
  const conf::ProbeConfig* probe;
  const probes::MysqlProbeSpec* spec;
};

std::vector<MysqlService> MysqlServices(const conf::Config& config);

}  // namespace rsagent::agent::diagnose
