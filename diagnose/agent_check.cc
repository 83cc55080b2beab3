// The agent is running and answers on its control socket.
#include "diagnose/check.h"

namespace rsagent::agent::diagnose {

namespace {

class AgentCheck : public Check {
 public:
  std::vector<Finding> Run(const conf::Config& config, Host& host) override {
    auto status = host.AgentStatus(config.agent.control_socket);
    if (!status) {
      return {{"agent", Verdict::kFail, status.error(),
               "systemctl start rsagent   (or: rsagent run -c " + config.source + ")"}};
    }
    size_t up = 0, services = 0;
    for (const auto& s : status->value("services", nlohmann::json::array())) {
      ++services;
      if (s.value("up", false)) ++up;
    }
    return {{"agent", Verdict::kPass,
             "running, answering; " + std::to_string(up) + "/" + std::to_string(services) +
                 " services UP",
             ""}};
  }
};

}  // namespace

std::unique_ptr<Check> MakeAgentCheck() { return std::make_unique<AgentCheck>(); }

}  // namespace rsagent::agent::diagnose
