// The first step of every database probe run: a connection that answers.
// Shared by the mysql and galera kinds so both heal the same way. MysqlSession
// is what the mysql probe asks of its server, so its decisions are tested on
// scripted replies (tests/unit/probes/mysql_probe_test.cc).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "probes/mysql_connection.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// Reads `socket` / `address` (exactly one) and `credentials`, the keys every
// database probe kind has, reporting problems into `table`.
void ReadMysqlTarget(conf::TableReader& table, std::string* socket,
                     std::optional<Endpoint>* address, std::string* credentials);

// The reconnect backoff of every database probe kind: after a connect that
// reached a sick server (timed out, refused the login, too many connections)
// the first retry comes on the next run after 1 s, then doubling up to 4 s,
// so a server that recovers is seen within 4 s (issue 16: at 30 s, E came
// back to rotation up to 18 s late) while it gets one attempt in four
// seconds at most. Refused connects are not backed off.
inline MysqlBackoff ProbeReconnectBackoff() {
  return MysqlBackoff(std::chrono::seconds(1), std::chrono::seconds(4));
}

// The server refused a statement for lack of a privilege (table, database or
// global): the state it would show is unknown, and the reason names the grant.
bool IsPrivilegeError(unsigned error_code);
// What such a refusal says: "`state` unknown: `error` (GRANT `grant` TO the
// probe's user; docs/mysql.md ...)" — unknown, never "not a replica/member".
std::string UnknownForLackOfGrant(std::string_view state, const std::string& error,
                                  std::string_view grant);

// Runs SELECT 1 on `connection`, connecting first when needed. Before a new
// connect the credentials file (when one is configured) is re-read, so fixing
// its mode heals the probe without a restart. When a kept connection turns
// out dead (the server restarted), this run's one connect attempt goes to a
// fresh connection instead of reporting the old one.
Status EnsureAnswering(MysqlConnection& connection, const std::string& credentials_file,
                       Clock::time_point deadline);

// One kept connection to a server, as a probe uses it.
class MysqlSession {
 public:
  virtual ~MysqlSession() = default;
  // SELECT 1, connecting first when needed (EnsureAnswering).
  virtual Status EnsureAnswering(Clock::time_point deadline) = 0;
  virtual Result<std::vector<MysqlRow>> Query(std::string_view sql, Clock::time_point deadline) = 0;
  virtual unsigned last_error_code() const = 0;  // the server's error number; 0 after success
  virtual std::string server_version() const = 0;
  virtual int connects() const = 0;  // successful connects so far
};

// The real session: a MysqlConnection to `target` that re-reads
// `credentials_file` (when not empty) before every connect.
std::unique_ptr<MysqlSession> MakeMysqlSession(MysqlTarget target, std::string credentials_file,
                                               MysqlBackoff backoff);

}  // namespace rsagent::probes
