// [agent]: how the daemon itself runs.
#include <array>

#include "conf/config_sections.h"

namespace rsagent::conf {
namespace {

constexpr std::array<std::string_view, 5> kLogLevels = {"trace", "debug", "info", "warn", "error"};

Result<std::string> ParseLogLevel(std::string_view text) {
  for (std::string_view level : kLogLevels) {
    if (text == level) return std::string(text);
  }
  return Error{"\"" + std::string(text) +
               "\" is not a log level (one of trace, debug, info, warn, error)"};
}

Result<std::string> ParseLogFormat(std::string_view text) {
  if (text == "text" || text == "json") return std::string(text);
  return Error{"\"" + std::string(text) + "\" is not a log format (text or json)"};
}

}  // namespace

void ReadAgentSection(TableReader& table, AgentConfig* agent) {
  if (auto v = table.Parsed<Endpoint>("listen", Endpoint::Parse)) agent->listen = *v;
  if (auto v = table.ParsedList<Cidr>("allow", Cidr::Parse)) agent->allow = *v;
  if (auto v = table.Parsed<std::string>("state_dir", ParseAbsolutePath)) agent->state_dir = *v;
  if (auto v = table.Parsed<std::string>("control_socket", ParseAbsolutePath)) {
    agent->control_socket = *v;
  }
  if (auto v = table.Duration("shutdown_grace", Millis(0), std::chrono::minutes(10))) {
    agent->shutdown_grace = *v;
  }
  if (auto v = table.Integer("http_threads", 1, 64)) agent->http_threads = static_cast<int>(*v);
  if (auto v = table.Parsed<std::string>("log_level", ParseLogLevel)) agent->log_level = *v;
  if (auto v = table.Parsed<std::string>("log_format", ParseLogFormat)) agent->log_format = *v;
  if (auto v = table.Parsed<Endpoint>("agent_check_listen", Endpoint::Parse)) {
    if (v->port == agent->listen.port &&
        (v->address == agent->listen.address || v->address.ToString() == "0.0.0.0" ||
         agent->listen.address.ToString() == "0.0.0.0")) {
      table.ErrorAt(table.Node("agent_check_listen")->source(), table.KeyPath("agent_check_listen"),
                    "port " + std::to_string(v->port) +
                        " is agent.listen's: the agent-check protocol needs a port of its own");
    } else {
      agent->agent_check_listen = *v;
    }
  }
  table.ReportUnknownKeys();
}

}  // namespace rsagent::conf
