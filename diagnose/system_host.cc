#include "diagnose/system_host.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "control/control_client.h"
#include "diagnose/proc_net_tcp.h"
#include "netsetup/rtnl.h"
#include "probes/mysql_connection.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent::diagnose {

namespace {

constexpr auto kAgentTimeout = std::chrono::seconds(2);
constexpr auto kMysqlTimeout = std::chrono::seconds(3);

Result<std::string> ReadProc(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{"cannot read " + path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<netsetup::KernelState> SystemHost::Addresses() {
  ASSIGN_OR_RETURN(auto rtnl, netsetup::Rtnl::Open());
  return rtnl->Read();
}

Result<int> SystemHost::Ipv4Conf(const std::string& interface, const std::string& key) {
  ASSIGN_OR_RETURN(auto text, ReadProc("/proc/sys/net/ipv4/conf/" + interface + "/" + key));
  return std::atoi(text.c_str());
}

Result<std::vector<Listener>> SystemHost::TcpListeners() {
  ASSIGN_OR_RETURN(auto v4, ReadProc("/proc/net/tcp"));
  std::vector<Listener> out = ParseProcNetTcp(v4, /*v6=*/false);
  if (auto v6 = ReadProc("/proc/net/tcp6")) {  // absent when IPv6 is disabled
    for (const auto& l : ParseProcNetTcp(*v6, /*v6=*/true)) out.push_back(l);
  }
  return out;
}

Result<nlohmann::json> SystemHost::AgentStatus(const std::string& control_socket) {
  ASSIGN_OR_RETURN(auto response, CallControl(control_socket, {.command = ControlCommand::kStatus},
                                              kAgentTimeout));
  if (!response.ok) return Error{"the agent refused: " + response.message};
  return response.status;
}

probes::ProbeResult SystemHost::RunProbe(const conf::ProbeConfig& probe) {
  return probes::MakeProbe(probe)->Attempt(Clock::now() + probe.timeout);
}

Result<std::map<std::string, std::string>> SystemHost::MysqlVariables(
    const probes::MysqlProbeSpec& spec) {
  std::optional<probes::MysqlCredentials> credentials;
  if (!spec.credentials.empty()) {
    ASSIGN_OR_RETURN(auto loaded, probes::LoadMysqlCredentials(spec.credentials, geteuid()));
    credentials = loaded;
  }
  probes::MysqlConnection connection({.socket = spec.socket, .address = spec.address}, credentials,
                                     probes::MysqlBackoff(kMysqlTimeout, kMysqlTimeout));
  ASSIGN_OR_RETURN(
      auto rows,
      connection.Query(
          "SHOW GLOBAL VARIABLES WHERE Variable_name IN "
          "('bind_address', 'auto_increment_increment', 'auto_increment_offset', 'read_only',"
          " 'version')",
          Clock::now() + kMysqlTimeout));
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : probes::ToNameValueMap(rows)) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[lower] = value;
  }
  return out;
}

}  // namespace rsagent::agent::diagnose
