// The galera probe: a Galera node's wsrep status and settings from one
// persistent connection (database_probe.h), turned into the "writer"/"reader"
// verdicts of galera_roles.h. Two statements per run, no privilege needed
// beyond USAGE.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "conf/probe_kind_reader.h"
#include "probes/database_probe.h"
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
struct GaleraProbeSpec : conf::MysqlServer {  // socket or address, credentials (mode 0600)
  bool available_when_donor = false;  // a donor (state 2) that serves queries counts as synced
  friend bool operator==(const GaleraProbeSpec&, const GaleraProbeSpec&) = default;
  static GaleraProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
};

class GaleraProbe : public DatabaseProbe<GaleraFacts, GaleraProbeSpec> {
 public:
  using DatabaseProbe::DatabaseProbe;  // (spec), on a real connection; (spec, session)

 private:
  Status Read(DatabaseStatements& statements, GaleraFacts* facts) override;
  DatabaseVerdicts Judge(const GaleraFacts& facts) const override;
  void Report(const GaleraFacts& facts, ProbeResult* result) const override;
};

}  // namespace rsagent::probes
