// A sock_diag netlink subscription to destroyed TCP listeners
// (SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY): the kernel reports a
// socket the moment it is freed, so a service that dies (kill -9, crash, OOM
// kill) is seen within milliseconds instead of at the next probe. A socket
// filter on the subscription keeps only listeners (no peer port), so a busy
// server's closed connections never wake the agent. Needs CAP_NET_ADMIN.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "common/socket.h"

namespace rsagent::netsetup {

class ListenerWatch {
 public:
  struct Event {
    std::vector<uint16_t> ports;  // local ports of listeners destroyed since the last Wait
    bool overrun = false;         // ENOBUFS: reports were lost, recheck everything
  };

  static Result<std::unique_ptr<ListenerWatch>> Open();

  // Waits at most `timeout`, then drains every pending report. Returns
  // early, with no report, once Interrupt() has been called.
  Result<Event> Wait(std::chrono::milliseconds timeout);
  // From any thread: ends the Wait in progress and every later one at once,
  // so the watching thread needs no periodic wake-up to notice a stop.
  void Interrupt();

 private:
  ListenerWatch(UniqueFd fd, UniqueFd interrupt)
      : fd_(std::move(fd)), interrupt_(std::move(interrupt)) {}
  UniqueFd fd_;
  UniqueFd interrupt_;  // eventfd, readable once interrupted
};

}  // namespace rsagent::netsetup
