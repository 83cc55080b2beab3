// The galera probe: a Galera node's wsrep status and settings from one
// persistent connection (a MysqlSession, mysql_session.h), turned into the
// "writer"/"reader" verdicts of galera_roles.h. Two statements per run, no
// privilege needed beyond USAGE.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "probes/galera_facts.h"
#include "probes/mysql_session.h"
#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// [probe.NAME] type = "galera"; yields the "writer" and "reader" roles. A
// Galera node (MariaDB Galera, Percona XtraDB Cluster), judged by its wsrep
// state; docs/mysql.md "The galera probe" maps clustercheck's options onto these.
struct GaleraProbeSpec {
  std::string socket;                 // unix socket, or
  std::optional<Endpoint> address;    // host:port (exactly one of the two)
  std::string credentials;            // option file with [client] user/password, mode 0600
  bool available_when_donor = false;  // a donor (state 2) that serves queries counts as synced
  friend bool operator==(const GaleraProbeSpec&, const GaleraProbeSpec&) = default;
  static GaleraProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
};

class GaleraProbe : public Probe {
 public:
  explicit GaleraProbe(GaleraProbeSpec spec);  // on a real connection to spec's server
  GaleraProbe(GaleraProbeSpec spec, std::unique_ptr<MysqlSession> session);

  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  GaleraFacts Gather(Clock::time_point deadline);

  GaleraProbeSpec spec_;
  std::unique_ptr<MysqlSession> session_;
};

}  // namespace rsagent::probes
