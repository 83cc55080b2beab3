// The local control socket (docs/design.md §7): admin actions never go through
// the network listener. AF_UNIX stream socket, directory 0750 and socket
// 0600 owned by root, and the peer's uid checked (SO_PEERCRED) on every
// connection, so only root can drain, reload or read status through it.
//
// The socket's directory is created 0750 when missing; an existing one is
// never chmod-ed, and is refused unless owned by the agent's user and not
// writable by others (sticky shared directories such as /tmp excepted):
// whoever can write it could replace the socket (control/trusted_dir.h).
//
// One request per connection; connections are served concurrently, up to
// kMaxControlClients at once (more are answered "busy" at once), each read
// and write bounded by kControlIoTimeout: silent clients never delay
// another's command. A request whose deadline passed is not acted on
// (control_protocol.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "common/socket.h"
#include "control/control_protocol.h"

namespace rsagent::agent {

inline constexpr std::chrono::milliseconds kControlIoTimeout{2000};
inline constexpr size_t kMaxControlClients = 32;

using ControlHandler = std::function<ControlResponse(const ControlRequest&)>;

// The socket's directory: created when missing, else checked (see above).
// Start() does it too; the daemon calls it first, so a refused directory
// stops the agent before anything is set up.
Status PrepareControlSocketDirectory(const std::string& socket_path);

class ControlServer {
 public:
  // Refuses to take over a socket another process still answers on; a stale
  // one (left by a crash) is replaced. `allowed_uid` is 0 outside tests.
  static Result<std::unique_ptr<ControlServer>> Start(const std::string& path,
                                                      ControlHandler handler,
                                                      uid_t allowed_uid = 0);
  // Stops accepting, waits for the connections in progress (each bounded by
  // its I/O deadlines and the handler), removes the socket file.
  ~ControlServer();

 private:
  ControlServer(std::string path, ControlHandler handler, uid_t allowed_uid);
  void Serve();
  void ServeOne(int fd);
  // Accept failed with `error`; false when the loop must end.
  bool AcceptFailed(int error);

  std::string path_;
  ControlHandler handler_;
  uid_t allowed_uid_;
  UniqueFd listener_;
  UniqueFd stop_;  // eventfd: wakes Serve() for shutdown
  std::mutex mu_;
  std::condition_variable idle_;
  size_t active_ = 0;  // connections being served, guarded by mu_
  std::thread thread_;
};

}  // namespace rsagent::agent
