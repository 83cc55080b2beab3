// `rsagent status` for people: the /status document as tables of services
// (with overrides and since-when), probes, VIPs and ARP.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace rsagent::agent {

std::string StatusTable(const nlohmann::json& status);

}  // namespace rsagent::agent
