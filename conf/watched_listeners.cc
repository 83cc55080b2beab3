#include "conf/watched_listeners.h"

#include "conf/http_url.h"

namespace rsagent::conf {

std::vector<Endpoint> WatchedListeners(const ProbeConfig& probe) {
  if (!probe.watch_listener) return {};
  if (const auto* tcp = std::get_if<TcpProbeSpec>(&probe.spec)) return tcp->targets;
  if (const auto* http = std::get_if<HttpProbeSpec>(&probe.spec)) {
    auto url = HttpUrl::Parse(http->url);  // validated at load time
    if (!url) return {};
    auto address = IpAddress::Parse(url->host == "localhost" ? "127.0.0.1" : url->host);
    if (!address) return {};
    return {Endpoint{*address, url->port}};
  }
  return {};
}

}  // namespace rsagent::conf
