// `rsagent drain SERVICE --wait`: once the verdict is DOWN, watches the
// connections the service still serves on its VIP:port (sock_diag, in this
// process's network namespace) and returns when none is left, or lists what
// is still connected when the timeout passes.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "netsetup/sock_diag.h"

namespace rsagent::agent {

struct DrainTarget {
  std::string service;
  std::optional<IpAddress> vip;  // unset: connections on any local address
  uint16_t port = 0;
};

struct DrainWaitOptions {
  std::chrono::milliseconds timeout{5 * 60 * 1000};
  std::chrono::milliseconds poll{100};
  // A connection whose client stopped answering (this side retransmits, and
  // nothing came back for this long) does not hold the wait: that client
  // cannot write. It is named in the output once.
  std::chrono::milliseconds unanswered{5000};
};

// The sock_diag query, replaceable in tests.
using SocketLister =
    std::function<Result<std::vector<netsetup::TcpSocket>>(const netsetup::TcpSocketFilter&)>;
SocketLister SockDiagLister();

// 0: no target has a connection left but ones whose client stopped
// answering; 1: the timeout passed (each remaining connection listed: peer,
// age, idle, bytes) or a query failed.
int WaitForDrain(const std::vector<DrainTarget>& targets, const DrainWaitOptions& options,
                 const SocketLister& list, std::ostream& out, std::ostream& err);

}  // namespace rsagent::agent
