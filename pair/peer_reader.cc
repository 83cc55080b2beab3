#include "pair/peer_reader.h"

#include <algorithm>
#include <memory>

#include "common/safe_text.h"
#include "pair/mysql_query.h"
#include "probes/agent_get.h"
#include "probes/mysql_row.h"

namespace rsagent::pair {

namespace {

// One attempt per round; a dead peer costs one SYN per round.
constexpr auto kRetry = std::chrono::milliseconds(100);

}  // namespace

PeerReader::PeerReader(Endpoint mysql, Endpoint agent, std::string credentials_path)
    : credentials_path_(std::move(credentials_path)),
      connection_(probes::MysqlTarget{.address = mysql}, std::nullopt,
                  probes::MysqlBackoff(kRetry, kRetry)),
      agent_(agent),
      url_("http://" + agent.ToString() + "/writer") {}

PeerSqlFacts PeerReader::ReadSql(Clock::time_point deadline) {
  PeerSqlFacts facts;
  auto rows =
      QueryFresh(connection_, credentials_path_,
                 "SELECT @@gtid_binlog_pos AS binlog, @@gtid_current_pos AS current", deadline);
  if (!rows.ok()) {
    facts.error = rows.error();
    return facts;
  }
  for (const char* column : {"binlog", "current"}) {
    const probes::MysqlValue value =
        rows->empty() ? std::nullopt : probes::FindColumn(rows->front(), {column});
    auto position = GtidPosition::Parse(value.value_or(""));
    if (!value || !position.ok()) {
      facts.error = "@@gtid_" + std::string(column) +
                    "_pos of the peer: " + (value ? position.error() : std::string("no value"));
      return facts;
    }
    (column == std::string("binlog") ? facts.binlog : facts.current) = *position;
  }
  facts.reachable = true;
  return facts;
}

PeerAgentFacts PeerReader::ReadAgent(Clock::time_point deadline) const {
  PeerAgentFacts facts;
  auto response = probes::GetFromAgent(url_, deadline, "rsagent-pair");
  if (!response.ok()) {
    facts.error = SafeText(response.error());
    return facts;
  }
  if (response->status != 200) {
    facts.error = "GET " + url_ + ": HTTP " + std::to_string(response->status) +
                  (response->status == 403 ? " (add this node to the peer's agent.allow)" : "");
    return facts;
  }
  auto report = ParseWriterReport(response->body);
  if (!report.ok()) {
    facts.error = "GET " + url_ + ": " + report.error();
    return facts;
  }
  facts.reachable = true;
  facts.report = std::move(report).value();
  return facts;
}

}  // namespace rsagent::pair
