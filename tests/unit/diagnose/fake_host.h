// A Host whose every answer the test sets.
#pragma once

#include "diagnose/host.h"

namespace rsagent::agent::diagnose {

class FakeHost : public Host {
 public:
  Result<netsetup::KernelState> Addresses() override { return kernel; }
  Result<int> Ipv4Conf(const std::string& interface, const std::string& key) override {
    auto it = sysctls.find(interface + "/" + key);
    if (it == sysctls.end()) return Error{"no " + interface + "/" + key};
    return it->second;
  }
  Result<std::vector<Listener>> TcpListeners() override { return listeners; }
  Result<nlohmann::json> AgentStatus(const std::string&) override { return agent_status; }
  probes::ProbeResult RunProbe(const conf::ProbeConfig&) override { return probe_result; }
  Result<std::map<std::string, std::string>> MysqlVariables(const conf::MysqlProbeSpec&) override {
    return mysql_variables;
  }

  netsetup::KernelState kernel;
  std::map<std::string, int> sysctls;  // "all/arp_ignore" -> 1
  std::vector<Listener> listeners;
  Result<nlohmann::json> agent_status = Error{"not running"};
  probes::ProbeResult probe_result;
  Result<std::map<std::string, std::string>> mysql_variables = Error{"no server"};
};

inline Listener Listening(const char* address, uint16_t port) {
  return Listener{*IpAddress::Parse(address), port};
}

}  // namespace rsagent::agent::diagnose
