// A scripted MysqlSession (probes/mysql_session.h) for the database probes'
// unit tests: replies by statement prefix, every statement and the deadline
// it was given recorded. A reply may hang: it returns, timed out as the real
// connection reports it, only once the deadline has passed. A reply of
// variables may be filtered by the names the statement quotes, as the
// server's `WHERE Variable_name IN (...)` does, so a name the statement
// forgets is missing from the reply as it would be from the server's.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "probes/mysql_session.h"

namespace rsagent::probes::testing {

using Rows = std::vector<MysqlRow>;

// Server and client error numbers (mysqld_error.h, errmsg.h), as they arrive.
inline constexpr unsigned kParseError = 1064;            // ER_PARSE_ERROR
inline constexpr unsigned kSpecificAccessDenied = 1227;  // ER_SPECIFIC_ACCESS_DENIED_ERROR
inline constexpr unsigned kTableAccessDenied = 1142;     // ER_TABLEACCESS_DENIED_ERROR
inline constexpr unsigned kServerLost = 2013;            // CR_SERVER_LOST

class FakeSession : public MysqlSession {
 public:
  struct Reply {
    Result<Rows> rows = Rows{};
    unsigned code = 0;     // the server's error number with a failed reply
    bool hang = false;     // no answer before the deadline
    bool by_name = false;  // only the rows whose Variable_name the statement quotes
  };

  Status answering = Status::Ok();  // what SELECT 1 gives
  std::string version = "10.11.6-MariaDB-0+deb12u1";
  int connect_count = 1;
  std::vector<std::pair<std::string, Reply>> replies;  // first matching prefix wins
  std::vector<std::string> sent;
  std::vector<Clock::time_point> deadlines;  // one per call, EnsureAnswering's included

  void On(std::string prefix, Reply reply) { replies.emplace_back(std::move(prefix), reply); }

  Status EnsureAnswering(Clock::time_point deadline) override {
    sent.push_back("SELECT 1");
    deadlines.push_back(deadline);
    return answering;
  }
  Result<Rows> Query(std::string_view sql, Clock::time_point deadline) override {
    sent.emplace_back(sql);
    deadlines.push_back(deadline);
    for (const auto& [prefix, reply] : replies) {
      if (sql.substr(0, prefix.size()) != prefix) continue;
      if (reply.hang) {
        std::this_thread::sleep_until(deadline);
        last_code_ = kServerLost;
        return Error{std::string(sql) + ": timed out"};
      }
      last_code_ = reply.code;
      if (!reply.by_name || !reply.rows.ok()) return reply.rows;
      Rows named;
      for (const MysqlRow& row : *reply.rows) {
        const MysqlValue name = row.at("Variable_name");
        if (sql.find("'" + name.value_or("") + "'") != std::string_view::npos) named.push_back(row);
      }
      return named;
    }
    ADD_FAILURE() << "unexpected statement: " << sql;
    last_code_ = kParseError;
    return Error{"unexpected statement"};
  }
  unsigned last_error_code() const override { return last_code_; }
  std::string server_version() const override { return version; }
  int connects() const override { return connect_count; }

 private:
  unsigned last_code_ = 0;
};

// A row of SHOW GLOBAL VARIABLES / SHOW GLOBAL STATUS.
inline MysqlRow Variable(std::string name, std::string value) {
  return {{"Variable_name", std::move(name)}, {"Value", std::move(value)}};
}

}  // namespace rsagent::probes::testing
