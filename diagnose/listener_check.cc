// Every service port has a listener that accepts packets addressed to the
// VIP: 0.0.0.0, :: or the VIP itself. A service bound only to the real IP
// is the most common DR mistake — the director's health check (to the real
// IP) passes while every client connection (to the VIP) is refused.
#include "diagnose/check.h"
#include "diagnose/listening.h"

namespace rsagent::agent::diagnose {

namespace {

class ListenerCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    auto listeners = host.TcpListeners();
    if (!listeners) {
      return {{"listener", Verdict::kFail, "cannot read listening sockets: " + listeners.error(),
               "run as root"}};
    }
    std::vector<Finding> out;
    for (const auto& service : config.services) {
      if (service.port == 0) continue;
      out.push_back(Judge(service, ListenersOn(*listeners, service.port, service.vip)));
    }
    return out;
  }

 private:
  static Finding Judge(const conf::ServiceConfig& service, const PortListeners& on) {
    const std::string port = std::to_string(service.port);
    const std::string what = service.name + " port " + port;
    const std::string target = service.vip ? service.vip->ToString() : "this node";
    const std::string fix = "make it listen on 0.0.0.0:" + port +
                            (service.vip ? " or " + service.vip->ToString() + ":" + port : "") +
                            " (nginx: `listen " + port +
                            ";`; MySQL: bind-address = 0.0.0.0) and restart it";
    if (!on.any) return {"listener", Verdict::kFail, what + ": nothing listens", fix};
    if (on.wildcard || on.on_vip || (!service.vip && !on.loopback_only)) {
      return {"listener", Verdict::kPass, what + ": " + on.addresses, ""};
    }
    return {"listener", Verdict::kFail,
            what + ": only " + on.addresses + " — connections to " + target + ":" + port +
                " are refused" + (on.loopback_only ? "" : " (listening on the real IP only)"),
            fix};
  }
};

}  // namespace

std::unique_ptr<Check> MakeListenerCheck() { return std::make_unique<ListenerCheck>(); }

}  // namespace rsagent::agent::diagnose
