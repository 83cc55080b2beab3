// One line of `rsagent diagnose`: a check's verdict and, for every
// non-PASS, the exact command or edit that fixes it.
#pragma once

#include <string>

namespace rsagent::agent::diagnose {

enum class Verdict { kPass, kWarn, kFail };
const char* VerdictName(Verdict verdict);  // "PASS", "WARN", "FAIL"

struct Finding {
  std::string check;  // "vip", "arp", "listener", ...
  Verdict verdict = Verdict::kPass;
  std::string message;  // what was found, one line
  std::string fix;      // empty for PASS
};

}  // namespace rsagent::agent::diagnose
