// One round of the pair's writer arbitration, as a pure function of what
// this node knows (docs/mysql.md "The pair: one writer" has the table).
// The rules, briefly:
//  - A writer keeps the role while its mysqld runs the incarnation it took
//    the role on, and gives it up only to a peer writer of a higher term.
//    It keeps it through partitions: the standby cannot take it then.
//  - A standby takes the role only when it has proved, this round, that it
//    holds every commit of the peer (its applied GTIDs contain the peer's
//    @@gtid_binlog_pos, read over its own connection; or the peer's mysqld is
//    dead and its agent vouches that semi-sync delivered every acknowledged
//    commit here), the peer's agent answered and is not the writer, and the
//    peer is not the better candidate (last writer term, then server_id).
//  - Taking the role is two rounds: candidate first, writer only if the peer
//    (read after the candidacy was published) is neither writer nor candidate.
//    Two candidates that see each other: the better one waits, the other
//    withdraws; so two nodes never both become writer.
//  - Anything undecidable (peer unreachable, peer's mysqld hung, no proof)
//    leaves the node standby with the reason; `rsagent promote` decides.
#pragma once

#include <string>

#include "pair/gtid_position.h"
#include "pair/writer_report.h"
#include "pair/writer_state.h"

namespace rsagent::pair {

struct LocalFacts {
  Mysqld mysqld = Mysqld::kUnknown;
  std::string error;  // why it is not up
  // Answers, is MariaDB, its SQL thread is not stopped on an error, and no
  // drain/maint on the writer service; else `not_ready` says why.
  bool ready = false;
  std::string not_ready;
  // The SQL thread applied everything the IO thread received (what a dead
  // peer's vouch relies on); else `behind` says which channel is not.
  bool caught_up = false;
  std::string behind;
  bool read_only = false;
  int64_t started = 0;  // unix seconds (now - Uptime)
  uint32_t server_id = 0;
  GtidPosition current;   // @@gtid_current_pos: everything applied here
  std::string binlog;     // @@gtid_binlog_pos (last seen once down)
  bool vouch = false;     // see WriterReport::vouch
  std::string vouch_why;  // once down: why it vouches or not (for the report's reason)
  // This mysqld incarnation was up, read every round since, from before the
  // peer was last seen alive: what it received from the peer is still there
  // (a restarted replica re-fetches its relay log from the source).
  bool continuous = false;
};

struct PeerSqlFacts {
  bool reachable = false;
  std::string error;
  GtidPosition binlog;   // @@gtid_binlog_pos: everything it committed
  GtidPosition current;  // @@gtid_current_pos: everything it applied (the switchover waits on it)
};

struct PeerAgentFacts {
  bool reachable = false;
  std::string error;
  WriterReport report;
};

struct RoundInput {
  LocalFacts local;
  PeerSqlFacts peer_sql;
  PeerAgentFacts peer_agent;
  std::string peer;    // for reasons: "10.77.0.2"
  bool fence = false;  // [pair] fence: the agent manages read_only
};

enum class ReadOnlyAction { kNone, kSetOn, kSetOff };

struct RoundOutcome {
  WriterState state;    // to persist (when changed) before publishing
  WriterReport report;  // to publish (service is filled by the caller)
  bool writer = false;  // the gate on the writer service
  ReadOnlyAction read_only = ReadOnlyAction::kNone;
};

RoundOutcome DecideRound(const WriterState& state, const RoundInput& in);

// Whether read_only is (possibly) the agent's own after it tried `action`:
// a SET GLOBAL read_only = ON that failed or timed out may still take effect
// on the server, so it counts as fenced, and the node lifts it when it is the
// writer again; an OFF counts only once it succeeded.
bool FencedAfter(ReadOnlyAction action, bool succeeded, bool fenced_before);

// Whether this node holds every commit of its peer, and if not, why not
// ("cannot confirm I hold the peer's commits: ...").
struct Proof {
  bool ok = false;
  std::string why;
};
Proof ProveHoldsPeer(const RoundInput& in);

}  // namespace rsagent::pair
