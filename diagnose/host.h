// Everything the diagnose checks read from the machine, behind one
// interface: SystemHost reads the real kernel, MariaDB and agent; unit tests
// pass a fake, so every check is tested without root.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "conf/config.h"
#include "netsetup/kernel_state.h"
#include "probes/mysql_probe.h"
#include "probes/probe.h"

namespace rsagent::agent::diagnose {

// A TCP socket in LISTEN state.
struct Listener {
  IpAddress address;  // 0.0.0.0 or :: for a wildcard
  uint16_t port = 0;
};

class Host {
 public:
  virtual ~Host() = default;

  virtual Result<netsetup::KernelState> Addresses() = 0;
  // /proc/sys/net/ipv4/conf/INTERFACE/KEY; INTERFACE may be "all".
  virtual Result<int> Ipv4Conf(const std::string& interface, const std::string& key) = 0;
  virtual Result<std::vector<Listener>> TcpListeners() = 0;
  // The running agent's /status document, through its control socket.
  virtual Result<nlohmann::json> AgentStatus(const std::string& control_socket) = 0;
  // One attempt of a configured probe.
  virtual probes::ProbeResult RunProbe(const conf::ProbeConfig& probe) = 0;
  // Global variables by name (lower case), read with the probe's credentials.
  virtual Result<std::map<std::string, std::string>> MysqlVariables(
      const probes::MysqlProbeSpec& spec) = 0;
  // Configuration files (network scripts, sysctl.d): PATH absolute; nullopt
  // when absent. ListDir: sorted names, empty when the directory is absent.
  virtual Result<std::optional<std::string>> ReadFile(const std::string& path) = 0;
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
};

}  // namespace rsagent::agent::diagnose
