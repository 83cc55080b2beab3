// Master-master (services with a writer/reader role) needs interleaved
// auto-increment keys, or both masters hand out the same ids and
// replication breaks on the first duplicate key after a failover.
#include "diagnose/check.h"
#include "diagnose/mysql_services.h"

namespace rsagent::agent::diagnose {

namespace {

class AutoIncrementCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    std::vector<Finding> out;
    std::vector<const conf::ProbeConfig*> seen;
    for (const auto& m : MysqlServices(config)) {
      if (m.service->role == conf::Role::kNone) continue;
      if (std::find(seen.begin(), seen.end(), m.probe) != seen.end()) continue;
      seen.push_back(m.probe);
      auto vars = host.MysqlVariables(*m.spec);
      if (!vars) {
        out.push_back({"auto-increment", Verdict::kWarn, "cannot read: " + vars.error(),
                       "give the probe credentials (probe." + m.probe->name + ".credentials)"});
        continue;
      }
      const int increment = std::atoi(Value(*vars, "auto_increment_increment").c_str());
      const int offset = std::atoi(Value(*vars, "auto_increment_offset").c_str());
      const std::string values = "auto_increment_increment=" + std::to_string(increment) +
                                 " auto_increment_offset=" + std::to_string(offset);
      if (increment >= 2 && offset >= 1 && offset <= increment) {
        out.push_back({"auto-increment", Verdict::kPass, values, ""});
      } else {
        out.push_back({"auto-increment", Verdict::kFail,
                       values + ": both masters would generate the same keys",
                       "mysql -e 'SET GLOBAL auto_increment_increment=2, "
                       "auto_increment_offset=N'   # N = 1 on one master, 2 on the other; "
                       "the same in my.cnf"});
      }
    }
    return out;
  }

 private:
  static std::string Value(const std::map<std::string, std::string>& vars, const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? "" : it->second;
  }
};

}  // namespace

std::unique_ptr<Check> MakeAutoIncrementCheck() { return std::make_unique<AutoIncrementCheck>(); }

}  // namespace rsagent::agent::diagnose
