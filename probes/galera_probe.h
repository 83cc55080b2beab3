// The galera probe: a Galera node's wsrep status and settings from one
// persistent connection (the mysql probe's, mysql_connection.h), turned into
// the "writer"/"reader" verdicts of galera_roles.h. Two statements per run,
// no privilege needed beyond USAGE.
#pragma once

#include <memory>

#include "common/result.h"
#include "conf/config.h"
#include "probes/galera_facts.h"
#include "probes/mysql_connection.h"
#include "probes/probe.h"

namespace rsagent::probes {

class GaleraProbe : public Probe {
 public:
  // Fails on neither or both of socket/address.
  static Result<std::unique_ptr<GaleraProbe>> Create(const conf::GaleraProbeSpec& spec);

  ProbeResult Check(Clock::time_point deadline) override;

 private:
  explicit GaleraProbe(conf::GaleraProbeSpec spec);
  GaleraFacts Gather(Clock::time_point deadline);

  conf::GaleraProbeSpec spec_;
  MysqlConnection connection_;
};

}  // namespace rsagent::probes
