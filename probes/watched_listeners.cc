#include "probes/watched_listeners.h"

#include "conf/http_url.h"
#include "probes/http_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::probes {

std::vector<Endpoint> WatchedListeners(const conf::ProbeConfig& probe) {
  if (!probe.watch_listener) return {};
  if (const auto* tcp = probe.spec.As<TcpProbeSpec>()) return tcp->targets;
  if (const auto* http = probe.spec.As<HttpProbeSpec>()) {
    auto url = conf::HttpUrl::Parse(http->url);  // validated at load time
    if (!url) return {};
    auto address = IpAddress::Parse(url->host == "localhost" ? "127.0.0.1" : url->host);
    if (!address) return {};
    return {Endpoint{*address, url->port}};
  }
  return {};
}

}  // namespace rsagent::probes
