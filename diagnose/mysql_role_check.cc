// read_only, replication and semi-sync against the service's configured
// role, judged by one attempt of each of the service's probes that report
// roles (a mysql probe; see probes/probe_kinds.cc) — exactly what the
// running agent would decide.
#include "diagnose/check.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent::diagnose {

namespace {

bool Has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// The fix for a role verdict's reason (probes/mysql_roles.cc words them).
std::string FixFor(const std::string& role, const std::string& reason) {
  if (Has(reason, "not answering"))
    return "start the server, or fix the probe's socket/credentials";
  if (Has(reason, "read_only is ON")) {
    return "mysql -e 'SET GLOBAL read_only=OFF' on this writer (and read_only=1 in my.cnf only "
           "on the other master)";
  }
  if (Has(reason, "replication not running")) {
    return "mysql -e 'START SLAVE'; if it stays stopped, the server's error log says why (after "
           "a crash: relay_log_recovery = ON, docs/mysql.md)";
  }
  if (Has(reason, "IO thread")) return "mysql -e 'START SLAVE IO_THREAD'; check the error above";
  if (Has(reason, "SQL thread"))
    return "fix the SQL error above, then mysql -e 'START SLAVE SQL_THREAD'";
  if (Has(reason, "not caught up") || Has(reason, "lag")) {
    return "wait for the replica to catch up (SHOW SLAVE STATUS), or raise max_lag";
  }
  if (Has(reason, "semi-sync")) {
    return "check the peer replica; mysql -e 'SET GLOBAL rpl_semi_sync_master_enabled=ON'";
  }
  return "see `rsagent probe` for the " + role + " verdict";
}

class MysqlRoleCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    std::vector<Finding> out;
    for (const conf::ServiceConfig& service : config.services) {
      if (service.role == conf::Role::kNone) continue;
      for (const std::string& name : service.probes) {
        const conf::ProbeConfig* probe = config.FindProbe(name);
        if (probe && probes::KindOf(probe->spec).config.yields_roles) {
          Judge(service, *probe, host, out);
        }
      }
    }
    return out;
  }

 private:
  static void Judge(const conf::ServiceConfig& service, const conf::ProbeConfig& probe, Host& host,
                    std::vector<Finding>& out) {
    const std::string role = conf::RoleName(service.role);
    const probes::ProbeResult result = host.RunProbe(probe);
    auto verdict = result.roles.find(role);
    const std::string what = service.name + " as " + role + ": ";
    if (verdict == result.roles.end() || !verdict->second.ok) {
      const std::string reason =
          verdict == result.roles.end() ? result.outcome.reason : verdict->second.reason;
      out.push_back({"mysql-role", Verdict::kFail, what + reason, FixFor(role, reason)});
      return;
    }
    out.push_back({"mysql-role", Verdict::kPass, what + verdict->second.reason, ""});
    auto semi = result.details.find("semi_sync");
    if (semi != result.details.end() && Has(semi->second, "fell back")) {
      out.push_back({"mysql-semisync", Verdict::kWarn, service.name + ": semi-sync " + semi->second,
                     FixFor(role, "semi-sync")});
    }
  }
};

}  // namespace

std::unique_ptr<Check> MakeMysqlRoleCheck() { return std::make_unique<MysqlRoleCheck>(); }

}  // namespace rsagent::agent::diagnose
