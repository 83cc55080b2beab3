// One GET to another agent's read-only health listener (a peer's /writer or
// /health/SERVICE): a fresh connection, no proxy, http only, the whole
// exchange bounded by the deadline, the body capped.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "common/clock.h"
#include "common/result.h"

namespace rsagent::probes {

struct AgentAnswer {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case; the last of a name wins
};

Result<AgentAnswer> GetFromAgent(const std::string& url, SteadyTime deadline,
                                 const char* user_agent);

}  // namespace rsagent::probes
