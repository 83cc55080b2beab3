// `rsagent diagnose [-c FILE] [--json]`: the config check, then every
// check in AllChecks(), one line each — PASS, WARN or FAIL, and the fix for
// every non-PASS. Returns 0 with no FAIL, 1 otherwise.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "diagnose/check.h"

namespace rsagent::agent::diagnose {

struct DiagnoseOptions {
  std::string config_path;  // the file to check; must exist
  bool json = false;
  bool colour = false;  // only when stdout is a terminal
};

int RunDiagnose(const DiagnoseOptions& options, Host& host, std::ostream& out);

// Formatting, separate for tests.
std::string FormatFindings(const std::vector<Finding>& findings, bool colour);
std::string FindingsJson(const std::vector<Finding>& findings);

}  // namespace rsagent::agent::diagnose
