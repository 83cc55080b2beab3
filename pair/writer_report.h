// What one agent of a MySQL pair tells the other (and /status, /metrics):
// its role in the pair, the term it holds, what it knows of its own mysqld.
// Served read-only as JSON at GET /writer; the peer decides from it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::pair {

// standby: not taking writes. candidate: will take the role next round
// unless the peer objects (one round long, never stored). writer: takes
// writes. handover: a switchover in progress, not taking writes.
enum class WriterRole { kStandby, kCandidate, kWriter, kHandover };
const char* WriterRoleName(WriterRole role);  // "standby", "candidate", ...

// The local mysqld as its agent sees it: dead = refused or no socket (no
// process can commit anything more); hung = timed out (it may resume).
enum class Mysqld { kUnknown, kUp, kDead, kHung };
const char* MysqldName(Mysqld state);  // "unknown", "up", "dead", "hung"

struct WriterReport {
  std::string service;
  WriterRole role = WriterRole::kStandby;
  uint64_t term = 0;         // the highest term this node knows
  uint64_t writer_term = 0;  // the term it last held as writer (0 = never)
  uint32_t server_id = 0;
  Mysqld mysqld = Mysqld::kUnknown;
  bool ready = false;     // could serve writes (answers, replication not broken, no drain)
  bool eligible = false;  // ready, and proved this round that it holds every commit of its peer
  // Its mysqld is dead and, when last seen (less than the semi-sync timeout
  // before it died), semi-sync was ON with no commit waiting: every commit it
  // acknowledged to a client had been received by the peer.
  bool vouch = false;
  std::string last_gtid;  // @@gtid_binlog_pos, current while up, last seen once down
  std::string reason;     // why it is not the writer, or a short note
  friend bool operator==(const WriterReport&, const WriterReport&) = default;
};

// What this node saw of its peer in its last round (/status, /metrics).
struct PeerView {
  bool agent_reachable = false;
  std::string agent_error;
  bool mysql_reachable = false;
  std::string mysql_error;
  WriterRole role = WriterRole::kStandby;  // as its agent reported, when reachable
  uint64_t writer_term = 0;
  friend bool operator==(const PeerView&, const PeerView&) = default;
};

nlohmann::json ToJson(const WriterReport& report);
nlohmann::json ToJson(const PeerView& peer);
// Fails on anything that is not a report: a peer speaking another protocol
// version must not be read as "standby".
Result<WriterReport> ParseWriterReport(std::string_view body);

}  // namespace rsagent::pair
