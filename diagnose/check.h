// The diagnose checks: one per file (keepalived's check/ layout), each a
// function of the config and what the Host reports. The config itself is
// checked before any of these run (they need a valid one).
#pragma once

#include <memory>
#include <vector>

#include "conf/config.h"
#include "diagnose/finding.h"
#include "diagnose/host.h"

namespace rsagent::agent::diagnose {

class Check {
 public:
  virtual ~Check() = default;
  virtual std::vector<Finding> Run(const conf::Config& config, Host& host) = 0;
};

std::unique_ptr<Check> MakeAgentCheck();          // agent_check.cc
std::unique_ptr<Check> MakeVipCheck();            // vip_check.cc
std::unique_ptr<Check> MakeArpCheck();            // arp_check.cc
std::unique_ptr<Check> MakeRpFilterCheck();       // rp_filter_check.cc
std::unique_ptr<Check> MakeListenerCheck();       // listener_check.cc
std::unique_ptr<Check> MakeMysqlBindCheck();      // mysql_bind_check.cc
std::unique_ptr<Check> MakeMysqlRoleCheck();      // mysql_role_check.cc
std::unique_ptr<Check> MakeAutoIncrementCheck();  // auto_increment_check.cc
std::unique_ptr<Check> MakeHealthPortCheck();     // health_port_check.cc
std::unique_ptr<Check> MakeLegacySetupCheck();    // legacy_setup_check.cc

// In the order their lines are printed.
std::vector<std::unique_ptr<Check>> AllChecks();

}  // namespace rsagent::agent::diagnose
