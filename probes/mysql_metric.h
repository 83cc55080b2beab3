// A metric family the mysql, galera and group_replication probes export: always rsagent_mysql_*,
// never mysqld_exporter's names (a site running both must not get its alerts
// twice), with its HELP text and type. Families both probes export are
// defined once here so their HELP agrees.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "probes/probe.h"

namespace rsagent::probes {

struct MysqlMetric {
  const char* name;  // after rsagent_mysql_
  const char* help;
  bool counter = false;
};

inline constexpr MysqlMetric kMysqlUp{"up", "1 when the server answered the probe's queries."};
inline constexpr MysqlMetric kMysqlReadOnly{"read_only", "The server's read_only (1 = ON)."};
inline constexpr MysqlMetric kMysqlSuperReadOnly{"super_read_only",
                                                 "The server's super_read_only (MySQL only)."};

// Appends rsagent_mysql_<m.name>; an unknown value (nullopt) is left out,
// never exported as 0.
inline void AddMysqlSample(ProbeResult* result, const MysqlMetric& m, std::optional<double> value,
                           std::map<std::string, std::string> labels = {}) {
  if (!value) return;
  result->samples.push_back({.name = std::string("rsagent_mysql_") + m.name,
                             .labels = std::move(labels),
                             .value = *value,
                             .help = m.help,
                             .counter = m.counter});
}

inline std::optional<double> AsNumber(std::optional<bool> b) {
  if (!b) return std::nullopt;
  return *b ? 1.0 : 0.0;
}

}  // namespace rsagent::probes
