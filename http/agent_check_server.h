// The agent-check listener for HAProxy (`server ... agent-check agent-port
// P agent-send "web\n"`): read the line that names the service, answer one
// line from the cached snapshot (agent_check_reply.h), close. Read-only;
// peers outside `allow` are closed without an answer. One thread with one
// epoll set; every connection has a deadline and the count is capped.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "common/result.h"
#include "common/socket.h"
#include "http/http_server.h"

namespace rsagent::agent {

struct AgentCheckOptions {
  Endpoint listen;
  std::vector<Cidr> allow;
  // HAProxy writes agent-send at once; without one configured nothing comes,
  // and the node's only service is answered after this wait.
  std::chrono::milliseconds name_wait{200};
  size_t max_connections = 256;  // at the cap the oldest is closed
};

class AgentCheckServer {
 public:
  static Result<std::unique_ptr<AgentCheckServer>> Start(const AgentCheckOptions& options,
                                                         SnapshotSource source);
  ~AgentCheckServer();  // stops and joins

  uint16_t port() const { return port_; }
  // A reload's agent.allow: applies to every connection accepted from now on
  // (revoking access needs no restart, as on the health port).
  void SetAllow(std::vector<Cidr> allow);

 private:
  AgentCheckServer() = default;
  void Run();

  AgentCheckOptions options_;
  std::atomic<std::shared_ptr<const std::vector<Cidr>>> allow_;
  SnapshotSource source_;
  UniqueFd listener_;
  UniqueFd stop_;  // eventfd
  UniqueFd epoll_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace rsagent::agent
