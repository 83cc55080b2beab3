// What a reload (SIGHUP or `rsagent reload`) answers: declared here, with the
// admin action that reports it, so control/ need not depend on agent/ (which
// implements the reload).
#pragma once

#include <string>
#include <vector>

namespace rsagent::agent {

struct ReloadOutcome {
  std::vector<std::string> errors;  // empty when applied; FILE:LINE:COL: message for config errors
  std::string summary;              // one line for the operator
  bool ok() const { return errors.empty(); }
};

}  // namespace rsagent::agent
