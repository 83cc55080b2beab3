// One persistent client connection to a MySQL/MariaDB server, driven through
// libmysqlclient's non-blocking API and poll(), so every connect and query
// ends by the caller's deadline to the millisecond (the blocking API only
// knows whole-second timeouts). A connection that failed or timed out is
// closed; the next one is opened at most once per call and only when the
// backoff allows, so a sick server never gets a reconnect storm. A connect
// that reached no server (no socket file, refused) is not backed off: it
// costs the server nothing, and a restarted one is seen on the next call.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/ip_address.h"
#include "common/result.h"
#include "probes/mysql_backoff.h"
#include "probes/mysql_credentials.h"
#include "probes/mysql_row.h"

typedef struct st_mysql MYSQL;

namespace rsagent::probes {

struct MysqlTarget {
  std::string socket;               // unix socket path, or
  std::optional<Endpoint> address;  // TCP (exactly one of the two)
  std::string ToString() const;     // for reasons: the socket path or host:port
};

class MysqlConnection {
 public:
  // Without credentials, connects as the agent's own OS user (unix_socket
  // authentication, the MariaDB default for root).
  MysqlConnection(MysqlTarget target, std::optional<MysqlCredentials> credentials,
                  MysqlBackoff backoff);
  ~MysqlConnection();  // says COM_QUIT to a healthy server
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  // Runs one statement and returns its rows, connecting first when needed.
  // A server-side error (say, a syntax the server does not know) keeps the
  // connection; a client-side one (lost, timed out) closes it.
  Result<std::vector<MysqlRow>> Query(std::string_view sql, Clock::time_point deadline);

  // Used from the next connect on (credentials are re-read between connects).
  void SetCredentials(MysqlCredentials credentials) { credentials_ = std::move(credentials); }

  bool connected() const { return mysql_ != nullptr; }
  unsigned last_error_code() const { return last_error_code_; }  // 0 after success
  std::string server_version() const;
  int connects() const { return connects_; }  // successful connects so far

 private:
  Status Connect(Clock::time_point deadline);
  // Records the error; closes the connection unless the server just refused the statement.
  Status Fail(const std::string& what, bool timed_out);
  // Graceful: COM_QUIT first (bounded by kQuitTimeout), so the server does
  // not count an aborted connection; otherwise the socket is cut at once.
  void Close(bool graceful);
  std::string NextAttempt() const;  // "; next connect attempt in 2s"

  MysqlTarget target_;
  std::optional<MysqlCredentials> credentials_;
  MysqlBackoff backoff_;
  MYSQL* mysql_ = nullptr;
  unsigned last_error_code_ = 0;
  std::string last_connect_error_;
  int connects_ = 0;
};

}  // namespace rsagent::probes
