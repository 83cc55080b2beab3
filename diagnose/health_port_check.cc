// The directors' HTTP_GET checks must reach agent.listen. Locally
// checkable: the listen address is not loopback-only and the port really is
// open on it. (/health is open to every address; agent.allow limits only
// /status and /metrics, so it cannot block the directors.)
#include "diagnose/check.h"
#include "diagnose/listening.h"

namespace rsagent::agent::diagnose {

namespace {

class HealthPortCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    const Endpoint& listen = config.agent.listen;
    const std::string port = std::to_string(listen.port);
    if (IsLoopback(listen.address)) {
      return {{"health-port", Verdict::kFail,
               "agent.listen = " + listen.ToString() + ": the directors cannot reach it",
               "set agent.listen = \"0.0.0.0:" + port + "\" (or this node's real IP) in " +
                   config.source + " and restart rsagent"}};
    }
    auto listeners = host.TcpListeners();
    if (!listeners) return {};  // the listener check reports it
    const auto on = ListenersOn(*listeners, listen.port, std::nullopt);
    if (!on.any) {
      return {{"health-port", Verdict::kFail, "nothing listens on " + listen.ToString(),
               "systemctl start rsagent"}};
    }
    return {{"health-port", Verdict::kPass,
             "directors can reach " + listen.ToString() + " (listening: " + on.addresses + ")",
             ""}};
  }
};

}  // namespace

std::unique_ptr<Check> MakeHealthPortCheck() { return std::make_unique<HealthPortCheck>(); }

}  // namespace rsagent::agent::diagnose
