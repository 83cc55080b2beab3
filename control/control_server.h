// The local control socket (DESIGN.md §7): admin actions never go through
// the network listener. AF_UNIX stream socket, directory 0750 and socket
// 0600 owned by root, and the peer's uid checked (SO_PEERCRED) on every
// connection, so only root can drain, reload or read status through it.
//
// One connection at a time, one request per connection, each read and write
// bounded by a deadline: a stuck client costs at most kControlIoTimeout.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "common/socket.h"
#include "control/control_protocol.h"

namespace rsagent::agent {

inline constexpr std::chrono::milliseconds kControlIoTimeout{2000};

using ControlHandler = std::function<ControlResponse(const ControlRequest&)>;

class ControlServer {
 public:
  // Refuses to take over a socket another process still answers on; a stale
  // one (left by a crash) is replaced. `allowed_uid` is 0 outside tests.
  static Result<std::unique_ptr<ControlServer>> Start(const std::string& path,
                                                      ControlHandler handler,
                                                      uid_t allowed_uid = 0);
  ~ControlServer();  // stops, joins, removes the socket file

 private:
  ControlServer(std::string path, ControlHandler handler, uid_t allowed_uid);
  void Serve();
  void ServeOne(int fd);

  std::string path_;
  ControlHandler handler_;
  uid_t allowed_uid_;
  UniqueFd listener_;
  UniqueFd stop_;  // eventfd: wakes Serve() for shutdown
  std::thread thread_;
};

}  // namespace rsagent::agent
