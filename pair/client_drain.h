// A switchover's wait for the clients to leave: the writer service answers
// DOWN, and before read_only=ON can fail anybody's write, every client
// connection to the service's VIP:port must have ended and none been seen
// for a quiet window. A connection opened before the directors noticed the
// DOWN keeps going to this server whatever they do now (IPVS keeps
// established flows), and new ones mean a director still routes here.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/ip_address.h"
#include "common/result.h"
#include "netsetup/sock_diag.h"

namespace rsagent::pair {

struct ClientDrainWait {
  // The connections clients hold to the service now (sock_diag in production).
  std::function<Result<std::vector<netsetup::TcpSocket>>()> list;
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep;
  std::chrono::milliseconds poll{20};
};

struct ClientDrain {
  bool drained = false;
  // Drained: what it waited for. Else why not, naming the connections.
  std::string detail;
};

// From now until `deadline`: drained once no connection was seen for `quiet`
// (the window starts now, so even an idle service is DOWN for `quiet` before
// read_only: the directors' check interval). `clients` names the VIP:port in
// the messages. A connection the server retransmits on while its client sent
// nothing for `quiet` does not count: that client cannot write.
ClientDrain WaitForClientsGone(const ClientDrainWait& wait, const Endpoint& clients,
                               std::chrono::milliseconds quiet, Clock::time_point deadline);

// Lists the served connections (established, handshaking, closing) whose
// local side is `clients`: what DR clients of the VIP hold on this server.
Result<std::vector<netsetup::TcpSocket>> ListClientConnections(const Endpoint& clients);

}  // namespace rsagent::pair
