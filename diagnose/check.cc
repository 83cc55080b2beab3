#include "diagnose/check.h"

namespace rsagent::agent::diagnose {

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kWarn:
      return "WARN";
    case Verdict::kFail:
      return "FAIL";
  }
  return "?";
}

std::vector<std::unique_ptr<Check>> AllChecks() {
  std::vector<std::unique_ptr<Check>> checks;
  checks.push_back(MakeAgentCheck());
  checks.push_back(MakeVipCheck());
  checks.push_back(MakeArpCheck());
  checks.push_back(MakeRpFilterCheck());
  checks.push_back(MakeListenerCheck());
  checks.push_back(MakeMysqlBindCheck());
  checks.push_back(MakeMysqlRoleCheck());
  checks.push_back(MakeAutoIncrementCheck());
  checks.push_back(MakeHealthPortCheck());
  checks.push_back(MakeLegacySetupCheck());
  return checks;
}

}  // namespace rsagent::agent::diagnose
