#include "http/http_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "http/http_event_loop.h"
#include "http/http_routes.h"
#include "http/tcp_listener.h"

namespace rsagent::agent {

struct HttpServer::Routes {
  explicit Routes(RouteOptions options)
      : current(std::make_shared<const RouteOptions>(std::move(options))) {}
  std::atomic<std::shared_ptr<const RouteOptions>> current;
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      SnapshotSource source) {
  std::unique_ptr<HttpServer> self(new HttpServer());
  const int defer_seconds =
      static_cast<int>(std::max<int64_t>(1, options.request_timeout.count() / 1000));
  auto listener = ListenTcp(options.listen, defer_seconds);  // port 0 picks a free port (tests)
  if (!listener) {
    return Error{"cannot listen on " + options.listen.ToString() + ": " + listener.error()};
  }
  self->listener_ = std::move(listener).value();
  self->port_ = BoundPort(self->listener_.get());
  self->stop_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!self->stop_.valid()) return Error{"eventfd: " + ErrnoText(errno)};

  const int loops = std::max(1, options.threads);
  const LoopLimits limits{
      .max_connections = std::max<size_t>(1, options.max_connections / loops),
      .request_timeout = options.request_timeout,
      .idle_timeout = options.idle_timeout,
      .write_timeout = options.write_timeout,
  };
  self->routes_ =
      std::make_shared<Routes>(RouteOptions{.allow = options.allow, .version = options.version});
  auto handler = [source, routes = self->routes_](const HttpRequest& request, const IpAddress& peer,
                                                  bool keep_alive) {
    const std::shared_ptr<const RouteOptions> current = routes->current.load();
    return SerializeResponse(Route(request, peer, *source(), *current), request.method == "HEAD",
                             keep_alive);
  };
  for (int i = 0; i < loops; ++i) {
    ASSIGN_OR_RETURN(auto loop, HttpEventLoop::Create(self->listener_.get(), self->stop_.get(),
                                                      limits, handler));
    self->loops_.push_back(std::move(loop));
  }
  for (auto& loop : self->loops_) {
    self->threads_.emplace_back([raw = loop.get()] { raw->Run(); });
  }
  return self;
}

void HttpServer::SetAllow(std::vector<Cidr> allow) {
  auto next = std::make_shared<RouteOptions>(*routes_->current.load());
  next->allow = std::move(allow);
  routes_->current.store(std::move(next));
}

HttpServer::~HttpServer() {
  const uint64_t one = 1;
  if (stop_.valid()) (void)!write(stop_.get(), &one, sizeof one);
  for (auto& t : threads_) t.join();
}

}  // namespace rsagent::agent
