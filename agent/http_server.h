// The read-only network listener (DESIGN.md §7). It only ever reads the
// cached snapshot; admin actions are on the local control socket instead.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "agent/snapshot.h"
#include "common/result.h"

namespace httplib {
class Server;
}

namespace rsagent::agent {

using SnapshotSource = std::function<std::shared_ptr<const Snapshot>()>;

struct HttpOptions {
  Endpoint listen;
  std::vector<Cidr> allow;  // who may read /status and /metrics; /health is open
  int threads = 4;
  std::string version;
};

class HttpServer {
 public:
  // Binds (so errors such as "address in use" surface here) and starts serving.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options,
                                                   SnapshotSource source);
  ~HttpServer();  // stops and joins

  uint16_t port() const { return port_; }

 private:
  HttpServer() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

}  // namespace rsagent::agent
