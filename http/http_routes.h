// What the health listener answers (docs/design.md §7), as a pure function of the
// request, the caller's address and the cached snapshot: no I/O, no probe.
#pragma once

#include <string>
#include <vector>

#include "common/ip_address.h"
#include "health/snapshot.h"
#include "http/http_request.h"
#include "http/http_response.h"

namespace rsagent::agent {

struct RouteOptions {
  std::vector<Cidr> allow;  // who may read /status and /metrics; /health is open
  std::string version;
};

HttpResponse Route(const HttpRequest& request, const IpAddress& peer, const Snapshot& snapshot,
                   const RouteOptions& options);

}  // namespace rsagent::agent
