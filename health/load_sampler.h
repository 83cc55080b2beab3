// Samples what service weights depend on: served connections on each
// service's VIP:port (sock_diag, netsetup/sock_diag.h) and CPU pressure
// (PSI). The daemon's ticker runs it off the request path.
#pragma once

#include <chrono>

#include "health/snapshot.h"

namespace rsagent::agent {

// Services with no port are skipped; a failed query leaves its service out
// (shown as "not sampled") and is logged once per failure streak by the caller.
LoadSample SampleLoad(const Snapshot& snapshot, std::chrono::milliseconds timeout,
                      std::string* first_error);

}  // namespace rsagent::agent
