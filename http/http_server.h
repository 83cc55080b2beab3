// The read-only network listener (docs/design.md §7). It only ever reads the
// cached snapshot; admin actions are on the local control socket instead.
// Event loops, not a thread per connection (http_event_loop.h): a thousand
// idle or slowloris connections cannot keep a director's check waiting.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "common/socket.h"
#include "health/snapshot.h"

namespace rsagent::agent {

class HttpEventLoop;

using SnapshotSource = std::function<std::shared_ptr<const Snapshot>()>;

struct HttpOptions {
  Endpoint listen;
  std::vector<Cidr> allow;  // who may read /status and /metrics; /health is open
  int threads = 4;          // event loops sharing the listening socket
  std::string version;
  // Open connections at most; at the cap the one waiting longest for its
  // client is closed to make room, so an attacker cannot lock the directors out.
  size_t max_connections = 512;
  std::chrono::milliseconds request_timeout{2000};  // a whole request head
  std::chrono::milliseconds idle_timeout{5000};     // keep-alive between requests
  std::chrono::milliseconds write_timeout{2000};    // an answer the client does not read
};

class HttpServer {
 public:
  // Binds (so errors such as "address in use" surface here) and starts serving.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options,
                                                   SnapshotSource source);
  ~HttpServer();  // stops and joins

  uint16_t port() const { return port_; }
  // A reload's agent.allow: applies to every request from now on, connections
  // already open included (revoking access needs no restart).
  void SetAllow(std::vector<Cidr> allow);

 private:
  HttpServer() = default;
  struct Routes;  // the current RouteOptions, shared with the event loops
  std::shared_ptr<Routes> routes_;
  UniqueFd listener_;
  UniqueFd stop_;  // eventfd; readable = every loop returns
  std::vector<std::unique_ptr<HttpEventLoop>> loops_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
};

}  // namespace rsagent::agent
