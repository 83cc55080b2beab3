#include "http/http_routes.h"

#include <algorithm>

#include "common/json_dump.h"
#include "http/metrics.h"
#include "http/status_json.h"

namespace rsagent::agent {

namespace {

// Bodies are short and stable so keepalived's HTTP_GET `digest` can be used.
constexpr const char* kUpBody = "UP\n";
constexpr const char* kDownBody = "DOWN\n";
constexpr std::string_view kHealthPrefix = "/health/";

HttpResponse Text(int status, std::string body) {
  return HttpResponse{.status = status, .body = std::move(body)};
}

// `cause` is the fixed vocabulary of ServiceView::cause: /health is open to
// anyone who can reach the port, so no probe, database or server text goes
// into it (the full reason is in /status, behind `allow`).
HttpResponse Verdict(bool up, const std::string& cause) {
  HttpResponse r = Text(up ? 200 : 503, up ? kUpBody : kDownBody);
  r.headers.emplace_back("Cache-Control", "no-store");
  if (!up && !cause.empty()) r.headers.emplace_back("X-Rsagent-Reason", cause);
  return r;
}

bool ValidServiceName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool Allowed(const std::vector<Cidr>& allow, const IpAddress& peer) {
  return std::any_of(allow.begin(), allow.end(),
                     [&](const Cidr& cidr) { return cidr.Contains(peer); });
}

}  // namespace

HttpResponse Route(const HttpRequest& request, const IpAddress& peer, const Snapshot& snapshot,
                   const RouteOptions& options) {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = Text(405, "read-only: GET or HEAD\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  const std::string& path = request.path;
  if (path == "/health") {
    std::string cause;
    for (const auto& s : snapshot.services) {
      if (!s.up) cause += (cause.empty() ? "" : "; ") + s.name + ": " + s.cause;
    }
    if (snapshot.services.empty()) cause = "no services configured";
    return Verdict(snapshot.all_up, cause);
  }
  if (path.starts_with(kHealthPrefix)) {
    const std::string name = path.substr(kHealthPrefix.size());
    const ServiceView* s = ValidServiceName(name) ? snapshot.FindService(name) : nullptr;
    if (!s) return Text(404, "unknown service\n");
    HttpResponse r = Verdict(s->up, s->cause);
    // For directors that take more than UP/DOWN: the health apart from an
    // admin override (HAProxy's http-check, drain/maint coming from its
    // agent-check), and the weight to set (rsagent-check for keepalived's
    // misc_dynamic; 0 while drained, so the server stays in the pool).
    r.headers.emplace_back("X-Rsagent-Health", s->healthy ? "UP" : "DOWN");
    // The peers' input to the panic threshold (health/panic_threshold.h).
    r.headers.emplace_back("X-Rsagent-Pool", PoolStateName(s->pool));
    if (s->up) {
      r.headers.emplace_back("X-Rsagent-Weight", std::to_string(s->weight.absolute));
    } else if (s->healthy && s->admin.state == AdminState::kDrain) {
      r.headers.emplace_back("X-Rsagent-Weight", "0");
    }
    return r;
  }
  if (path == "/status" || path == "/metrics" || path == "/writer") {
    if (!Allowed(options.allow, peer)) return Text(403, "forbidden\n");
    if (path == "/writer") {
      // The MySQL pair's peer reads this node's role here (pair/peer_reader.h).
      if (!snapshot.pair) return Text(404, "no [pair] configured, or no round done yet\n");
      HttpResponse r{.content_type = "application/json",
                     .body = DumpJson(pair::ToJson(*snapshot.pair)) + "\n"};
      r.headers.emplace_back("Cache-Control", "no-store");
      return r;
    }
    if (path == "/metrics") {
      return HttpResponse{.content_type = "text/plain; version=0.0.4",
                          .body = RenderMetrics(snapshot, options.version, ReadProcessStats())};
    }
    return HttpResponse{.content_type = "application/json",
                        .body = DumpJson(StatusJson(snapshot, options.version), 2) + "\n"};
  }
  return Text(404, "not found\n");
}

}  // namespace rsagent::agent
