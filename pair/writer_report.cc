#include "pair/writer_report.h"

#include "common/safe_text.h"

namespace rsagent::pair {

namespace {

constexpr int kProtocol = 1;

template <typename Enum, size_t N>
Result<Enum> ParseName(const std::string& text, const char* const (&names)[N], const char* what) {
  for (size_t i = 0; i < N; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  return Error{"unknown " + std::string(what) + " \"" + SafeText(text) + "\""};
}

constexpr const char* kRoleNames[] = {"standby", "candidate", "writer", "handover"};
constexpr const char* kMysqldNames[] = {"unknown", "up", "dead", "hung"};

}  // namespace

const char* WriterRoleName(WriterRole role) { return kRoleNames[static_cast<int>(role)]; }
const char* MysqldName(Mysqld state) { return kMysqldNames[static_cast<int>(state)]; }

nlohmann::json ToJson(const WriterReport& r) {
  return {{"protocol", kProtocol},          {"service", r.service},
          {"role", WriterRoleName(r.role)}, {"term", r.term},
          {"writer_term", r.writer_term},   {"server_id", r.server_id},
          {"mysqld", MysqldName(r.mysqld)}, {"ready", r.ready},
          {"eligible", r.eligible},         {"vouch", r.vouch},
          {"last_gtid", r.last_gtid},       {"reason", r.reason}};
}

nlohmann::json ToJson(const PeerView& p) {
  nlohmann::json doc{{"agent_reachable", p.agent_reachable},
                     {"mysql_reachable", p.mysql_reachable}};
  if (p.agent_reachable) {
    doc["role"] = WriterRoleName(p.role);
    doc["writer_term"] = p.writer_term;
  } else {
    doc["agent_error"] = p.agent_error;
  }
  if (!p.mysql_reachable) doc["mysql_error"] = p.mysql_error;
  return doc;
}

Result<WriterReport> ParseWriterReport(std::string_view body) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return Error{"not a JSON object"};
  auto protocol = doc.find("protocol");
  if (protocol == doc.end() || !protocol->is_number_integer() || *protocol != kProtocol) {
    return Error{"not writer protocol " + std::to_string(kProtocol)};
  }
  WriterReport r;
  std::string missing;
  auto get = [&](const char* key, auto* out, bool (nlohmann::json::*is)() const noexcept) {
    auto it = doc.find(key);
    if (it == doc.end() || !((*it).*is)()) {
      if (missing.empty()) missing = key;
      return;
    }
    *out = it->template get<std::remove_pointer_t<decltype(out)>>();
  };
  std::string role, mysqld;
  get("service", &r.service, &nlohmann::json::is_string);
  get("role", &role, &nlohmann::json::is_string);
  get("term", &r.term, &nlohmann::json::is_number_unsigned);
  get("writer_term", &r.writer_term, &nlohmann::json::is_number_unsigned);
  get("server_id", &r.server_id, &nlohmann::json::is_number_unsigned);
  get("mysqld", &mysqld, &nlohmann::json::is_string);
  get("ready", &r.ready, &nlohmann::json::is_boolean);
  get("eligible", &r.eligible, &nlohmann::json::is_boolean);
  get("vouch", &r.vouch, &nlohmann::json::is_boolean);
  get("last_gtid", &r.last_gtid, &nlohmann::json::is_string);
  get("reason", &r.reason, &nlohmann::json::is_string);
  if (!missing.empty()) return Error{"field \"" + missing + "\" missing or of the wrong type"};
  ASSIGN_OR_RETURN(auto parsed_role, ParseName<WriterRole>(role, kRoleNames, "role"));
  ASSIGN_OR_RETURN(auto parsed_mysqld, ParseName<Mysqld>(mysqld, kMysqldNames, "mysqld state"));
  r.role = parsed_role;
  r.mysqld = parsed_mysqld;
  // The peer's words are outside text: safe once, here (a GTID list may be long).
  r.service = SafeText(r.service);
  r.last_gtid = SafeText(r.last_gtid, 64 * 1024);
  r.reason = SafeText(r.reason);
  return r;
}

}  // namespace rsagent::pair
