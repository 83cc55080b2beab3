// A MysqlSession (probes/mysql_session.h) that answers from a DbReplies
// script (tests/fuzz/db_replies.h), for the fuzz targets of the database
// probes, and what their oracles read back: which reply each class of
// statement got. Directives it reads: `down TEXT` (SELECT 1 fails with TEXT),
// `version TEXT` (the server's version string; MariaDB 10.11 by default).
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "probes/mysql_session.h"
#include "tests/fuzz/db_replies.h"

namespace rsagent::fuzz {

// Statement prefix -> the reply class that answers it; the first match wins.
using StatementKinds = std::vector<std::pair<std::string_view, std::string_view>>;

class ScriptedSession : public probes::MysqlSession {
 public:
  ScriptedSession(DbReplies* script, StatementKinds kinds)
      : script_(script), kinds_(std::move(kinds)) {}

  Status EnsureAnswering(Clock::time_point) override {
    if (auto down = script_->directives.find("down"); down != script_->directives.end()) {
      return Error{down->second};
    }
    return Status::Ok();
  }
  // A class the script has no (more) replies for gets an empty result.
  Result<std::vector<probes::MysqlRow>> Query(std::string_view sql, Clock::time_point) override {
    std::string kind = "unknown";
    for (const auto& [prefix, name] : kinds_) {
      if (sql.starts_with(prefix)) {
        kind = name;
        break;
      }
    }
    DbReply reply = script_->Next(kind).value_or(DbReply{});
    served_[kind].push_back(reply);
    last_code_ = reply.error_code.value_or(0);
    if (reply.error_code) return Error{reply.error_text};
    return reply.rows;
  }
  unsigned last_error_code() const override { return last_code_; }
  std::string server_version() const override {
    auto v = script_->directives.find("version");
    return v == script_->directives.end() ? "10.11.6-MariaDB" : v->second;
  }
  int connects() const override { return 1; }

  // The reply the probe went on with for `kind` (the last one served);
  // nullptr when it got none or an error.
  const DbReply* Used(std::string_view kind) const {
    auto it = served_.find(kind);
    if (it == served_.end() || it->second.empty() || it->second.back().error_code) return nullptr;
    return &it->second.back();
  }

 private:
  DbReplies* script_;
  StatementKinds kinds_;
  std::map<std::string, std::vector<DbReply>, std::less<>> served_;
  unsigned last_code_ = 0;
};

inline std::string Upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// A boolean setting that is on, in any spelling a server uses.
inline bool OnWord(const std::string& v) {
  const std::string u = Upper(v);
  return u == "ON" || u == "1" || u == "YES" || u == "TRUE";
}

// A setting read and OFF (or 0): what lets writes through.
inline bool KnownOff(const std::optional<std::string>& v) {
  return v && (Upper(*v) == "OFF" || *v == "0");
}

// A SHOW VARIABLES/STATUS value by case-insensitive name (the last non-NULL row).
inline std::optional<std::string> NamedValue(const DbReply* reply, std::string_view name) {
  std::optional<std::string> value;
  if (reply == nullptr) return value;
  for (const probes::MysqlRow& row : reply->rows) {
    auto n = row.find("Variable_name");
    auto v = row.find("Value");
    if (n == row.end() || v == row.end() || !n->second || !v->second) continue;
    if (Upper(*n->second) == Upper(std::string(name))) value = v->second;
  }
  return value;
}

}  // namespace rsagent::fuzz
