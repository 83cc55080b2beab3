// A valid config for every probe kind in probes/probe_kinds.cc, for the
// tests that walk that table (probes, health, diagnose): a kind added there
// without a sample here fails them. Targets are unreachable on purpose
// (127.0.0.1:1, a missing socket): the tests need an attempt, not a pass.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "conf/config_loader.h"
#include "probes/probe_kinds.h"

namespace rsagent::probes::testing {

inline const std::map<std::string_view, std::string_view>& KindSamples() {
  static const std::map<std::string_view, std::string_view> samples = {
      {"tcp", "targets = [\"127.0.0.1:1\"]"},
      {"http", "url = \"http://127.0.0.1:1/\""},
      {"exec", "command = [\"/bin/true\"]"},
      {"mysql", "socket = \"/nonexistent/rsagent-test/mysqld.sock\""},
      {"galera", "socket = \"/nonexistent/rsagent-test/mysqld.sock\""},
      {"group_replication", "socket = \"/nonexistent/rsagent-test/mysqld.sock\""},
  };
  return samples;
}

// [probe.p] of `kind` with its sample keys, used by [service.s]; with a role
// when `role` is not empty. nullopt when the kind has no sample.
inline std::optional<std::string> KindSampleConfig(const ProbeKind& kind,
                                                   std::string_view role = "") {
  auto sample = KindSamples().find(kind.config.type);
  if (sample == KindSamples().end()) return std::nullopt;
  std::string text = "[probe.p]\ntype = \"" + std::string(kind.config.type) +
                     "\"\ninterval = \"1s\"\ntimeout = \"300ms\"\n" + std::string(sample->second) +
                     "\n[service.s]\nport = 1\nprobes = [\"p\"]\n";
  if (!role.empty()) text += "role = \"" + std::string(role) + "\"\n";
  return text;
}

inline conf::LoadResult LoadKindSample(const ProbeKind& kind, std::string_view role = "") {
  return conf::LoadConfigString(KindSampleConfig(kind, role).value_or(""), "sample.toml",
                                ProbeKindReaders());
}

}  // namespace rsagent::probes::testing
