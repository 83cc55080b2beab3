#include "agent/http_server.h"

#include <httplib.h>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "agent/metrics.h"
#include "agent/status_json.h"

namespace rsagent::agent {

namespace {

// Bodies are short and stable so keepalived's HTTP_GET `digest` can be used.
constexpr const char* kUpBody = "UP\n";
constexpr const char* kDownBody = "DOWN\n";

void AnswerVerdict(bool up, const std::string& reason, httplib::Response& res) {
  res.status = up ? 200 : 503;
  if (!up && !reason.empty()) res.set_header("X-Rsagent-Reason", reason);
  res.set_header("Cache-Control", "no-store");
  res.set_content(up ? kUpBody : kDownBody, "text/plain");
}

bool Allowed(const std::vector<Cidr>& allow, const std::string& remote) {
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  std::string addr = remote.starts_with("::ffff:") && remote.find('.') != std::string::npos
                         ? remote.substr(7)
                         : remote;
  auto ip = IpAddress::Parse(addr);
  if (!ip) return false;
  for (const auto& cidr : allow) {
    if (cidr.Contains(*ip)) return true;
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options,
                                                      SnapshotSource source) {
  std::unique_ptr<HttpServer> self(new HttpServer());
  auto server = std::make_unique<httplib::Server>();
  const int threads = options.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // A stuck or slow client must not hold a worker for long.
  server->set_read_timeout(2, 0);
  server->set_write_timeout(2, 0);
  server->set_keep_alive_timeout(5);
  server->set_keep_alive_max_count(1000);
  server->set_payload_max_length(4096);
  // cpp-httplib's default adds SO_REUSEPORT, which would let a second agent
  // bind the same port and silently take half the checks: REUSEADDR only.
  // TCP_NODELAY (inherited by accepted sockets): headers and body go out in
  // separate writes, and Nagle plus delayed ACK would add 40 ms to every
  // keep-alive answer.
  server->set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });

  server->Get("/health", [source](const httplib::Request&, httplib::Response& res) {
    auto snap = source();
    std::string reason;
    for (const auto& s : snap->services) {
      if (!s.up) reason += (reason.empty() ? "" : "; ") + s.name + ": " + s.reason;
    }
    if (snap->services.empty()) reason = "no services configured";
    AnswerVerdict(snap->all_up, reason, res);
  });
  server->Get(R"(/health/([A-Za-z0-9_-]+))",
              [source](const httplib::Request& req, httplib::Response& res) {
                auto snap = source();
                const ServiceView* s = snap->FindService(req.matches[1]);
                if (!s) {
                  res.status = 404;
                  res.set_content("unknown service\n", "text/plain");
                  return;
                }
                AnswerVerdict(s->up, s->reason, res);
              });
  const auto allow = options.allow;
  const auto version = options.version;
  server->Get("/status", [source, allow, version](const httplib::Request& req,
                                                  httplib::Response& res) {
    if (!Allowed(allow, req.remote_addr)) {
      res.status = 403;
      res.set_content("forbidden\n", "text/plain");
      return;
    }
    res.set_content(StatusJson(*source(), version).dump(2) + "\n", "application/json");
  });
  server->Get("/metrics", [source, allow, version](const httplib::Request& req,
                                                   httplib::Response& res) {
    if (!Allowed(allow, req.remote_addr)) {
      res.status = 403;
      res.set_content("forbidden\n", "text/plain");
      return;
    }
    res.set_content(RenderMetrics(*source(), version), "text/plain; version=0.0.4");
  });

  const std::string host = options.listen.address.ToString();
  // Port 0 picks a free port (tests).
  const int port = options.listen.port == 0 ? server->bind_to_any_port(host)
                                            : (server->bind_to_port(host, options.listen.port)
                                                   ? options.listen.port
                                                   : -1);
  if (port <= 0) {
    return Error{"cannot listen on " + options.listen.ToString() + ": " + std::strerror(errno)};
  }
  self->port_ = static_cast<uint16_t>(port);
  self->server_ = std::move(server);
  httplib::Server* raw = self->server_.get();
  self->thread_ = std::thread([raw] { raw->listen_after_bind(); });
  // stop() is a no-op until the accept loop runs; wait for it so the
  // destructor can never miss it and hang in join().
  for (int i = 0; i < 2000 && !raw->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return self;
}

HttpServer::~HttpServer() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rsagent::agent
