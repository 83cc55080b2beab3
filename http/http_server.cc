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

namespace rsagent::agent {

struct HttpServer::Routes {
  explicit Routes(RouteOptions options)
      : current(std::make_shared<const RouteOptions>(std::move(options))) {}
  std::atomic<std::shared_ptr<const RouteOptions>> current;
};

namespace {

Result<UniqueFd> Listen(const Endpoint& endpoint, int defer_seconds) {
  UniqueFd fd(socket(endpoint.address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{ErrnoText(errno)};
  // REUSEADDR only: SO_REUSEPORT would let a second agent bind the same port
  // and silently take half the checks. TCP_NODELAY (inherited by accepted
  // sockets): Nagle plus delayed ACK would add 40 ms to keep-alive answers.
  int yes = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  // The kernel hands over a connection only once its request arrives:
  // connections that never send cost no descriptor and no wake-up.
  setsockopt(fd.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
  sockaddr_storage addr{};
  socklen_t len;
  if (endpoint.address.is_v4()) {
    auto& a4 = reinterpret_cast<sockaddr_in&>(addr);
    a4.sin_family = AF_INET;
    a4.sin_port = htons(endpoint.port);
    std::copy_n(endpoint.address.bytes(), 4, reinterpret_cast<uint8_t*>(&a4.sin_addr));
    len = sizeof a4;
  } else {
    auto& a6 = reinterpret_cast<sockaddr_in6&>(addr);
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(endpoint.port);
    std::copy_n(endpoint.address.bytes(), 16, a6.sin6_addr.s6_addr);
    len = sizeof a6;
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      listen(fd.get(), SOMAXCONN) != 0) {
    return Error{ErrnoText(errno)};
  }
  return fd;
}

uint16_t BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.ss_family == AF_INET ? reinterpret_cast<sockaddr_in&>(addr).sin_port
                                         : reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      SnapshotSource source) {
  std::unique_ptr<HttpServer> self(new HttpServer());
  const int defer_seconds =
      static_cast<int>(std::max<int64_t>(1, options.request_timeout.count() / 1000));
  auto listener = Listen(options.listen, defer_seconds);  // port 0 picks a free port (tests)
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
    auto loop = HttpEventLoop::Create(self->listener_.get(), self->stop_.get(), limits, handler);
    if (!loop) return Error{loop.error()};
    self->loops_.push_back(std::move(loop).value());
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
