// A Host whose every answer the test sets.
#pragma once

#include <gtest/gtest.h>

#include "conf/config_loader.h"
#include "diagnose/host.h"
#include "diagnose/rooted_files.h"
#include "probes/probe_kinds.h"

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
  Result<std::map<std::string, std::string>> MysqlVariables(
      const probes::MysqlProbeSpec&) override {
    return mysql_variables;
  }
  // Files come from a real directory tree (tests write one under a temp dir).
  Result<std::optional<std::string>> ReadFile(const std::string& path) override {
    return files.Read(path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    return files.List(path);
  }

  netsetup::KernelState kernel;
  std::map<std::string, int> sysctls;  // "all/arp_ignore" -> 1
  std::vector<Listener> listeners;
  Result<nlohmann::json> agent_status = Error{"not running"};
  probes::ProbeResult probe_result;
  Result<std::map<std::string, std::string>> mysql_variables = Error{"no server"};
  RootedFiles files{"/nonexistent-root"};
};

// A config from TOML text; a test failure when it does not validate.
inline conf::Config Load(const std::string& text) {
  conf::LoadResult loaded = conf::LoadConfigString(text, "test.toml", probes::ProbeKindReaders());
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.ErrorLines().front();
    return {};
  }
  return std::move(loaded).config();
}

inline Listener Listening(const char* address, uint16_t port) {
  return Listener{*IpAddress::Parse(address), port};
}

}  // namespace rsagent::agent::diagnose
