// What this node can learn of its peer in one round: the peer's
// @@gtid_binlog_pos over a MySQL connection of our own (the probe's
// credentials; the peer needs the same user for our address, no grants),
// and the peer agent's report from its read-only GET /writer.
#pragma once

#include <chrono>
#include <string>

#include "common/clock.h"
#include "common/ip_address.h"
#include "pair/writer_decision.h"
#include "probes/mysql_connection.h"

namespace rsagent::pair {

class PeerReader {
 public:
  PeerReader(Endpoint mysql, Endpoint agent, std::string credentials_path);

  PeerSqlFacts ReadSql(Clock::time_point deadline);
  PeerAgentFacts ReadAgent(Clock::time_point deadline) const;

 private:
  const std::string credentials_path_;
  probes::MysqlConnection connection_;
  const Endpoint agent_;
  const std::string url_;  // http://PEER:PORT/writer
};

}  // namespace rsagent::pair
