// MySQL's bind-address. Debian ships 127.0.0.1: the server then refuses
// every connection to the VIP. Read from @@bind_address when the probe's
// credentials connect; the listening sockets tell the same without them.
#include "diagnose/check.h"
#include "diagnose/listening.h"
#include "diagnose/mysql_services.h"

namespace rsagent::agent::diagnose {

namespace {

// The file Debian's packages of each server put bind-address in; unknown
// (no variables): both.
std::string Fix(const std::string& version) {
  const char* mariadb = "/etc/mysql/mariadb.conf.d/50-server.cnf";
  const char* mysql = "/etc/mysql/mysql.conf.d/mysqld.cnf";
  std::string where;
  if (version.empty()) {
    where = std::string("Debian: ") + mariadb + " for MariaDB, " + mysql + " for MySQL";
  } else if (version.find("MariaDB") != std::string::npos) {
    where = std::string("MariaDB ") + version + " on Debian: " + mariadb;
  } else {
    where = std::string("MySQL ") + version + " on Debian: " + mysql;
  }
  return "set bind-address = 0.0.0.0 under [mysqld] (" + where + ") and restart the server";
}

bool IsLoopbackName(const std::string& bind) {
  return bind == "127.0.0.1" || bind == "::1" || bind == "localhost";
}

class MysqlBindCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    std::vector<Finding> out;
    auto listeners = host.TcpListeners();
    for (const auto& m : MysqlServices(config)) {
      if (m.service->port == 0) continue;
      const std::string what = m.service->name + ": MySQL ";
      auto vars = host.MysqlVariables(*m.spec);
      if (vars && vars->contains("bind_address")) {
        const std::string& bind = vars->at("bind_address");
        if (IsLoopbackName(bind)) {
          out.push_back({"mysql-bind", Verdict::kFail,
                         what + "bind_address = " + bind + ": clients through the VIP are refused",
                         Fix(vars->contains("version") ? vars->at("version") : "")});
        } else {
          out.push_back({"mysql-bind", Verdict::kPass,
                         what + "bind_address = " + (bind.empty() ? "(all)" : bind), ""});
        }
        continue;
      }
      // No variable (older server, no credentials): judge by the socket.
      if (!listeners) continue;
      const auto on = ListenersOn(*listeners, m.service->port, m.service->vip);
      if (on.loopback_only) {
        out.push_back({"mysql-bind", Verdict::kFail,
                       what + "listens only on " + on.addresses +
                           " (bind-address = 127.0.0.1, Debian's default)",
                       Fix("")});
      } else {
        out.push_back(
            {"mysql-bind", Verdict::kWarn,
             what + "cannot read @@bind_address" + (vars ? std::string() : ": " + vars.error()),
             "give the probe credentials (probe." + m.probe->name + ".credentials)"});
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Check> MakeMysqlBindCheck() { return std::make_unique<MysqlBindCheck>(); }

}  // namespace rsagent::agent::diagnose
