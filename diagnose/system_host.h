// The real Host: netlink, /proc, the agent's control socket, MariaDB.
#pragma once

#include "diagnose/host.h"
#include "diagnose/rooted_files.h"

namespace rsagent::agent::diagnose {

class SystemHost : public Host {
 public:
  Result<netsetup::KernelState> Addresses() override;
  Result<int> Ipv4Conf(const std::string& interface, const std::string& key) override;
  Result<std::vector<Listener>> TcpListeners() override;
  Result<nlohmann::json> AgentStatus(const std::string& control_socket) override;
  probes::ProbeResult RunProbe(const conf::ProbeConfig& probe) override;
  Result<std::map<std::string, std::string>> MysqlVariables(
      const probes::MysqlProbeSpec& spec) override;
  Result<std::optional<std::string>> ReadFile(const std::string& path) override {
    return files_.Read(path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return files_.List(path);
  }

 private:
  RootedFiles files_{"/"};
};

}  // namespace rsagent::agent::diagnose
