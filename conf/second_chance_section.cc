// [peer.NAME] and [second_chance]: the other real servers of this node's
// services, and which services hand packets they cannot serve to them.
#include <cstdio>

#include "conf/config_sections.h"

namespace rsagent::conf {
namespace {

Result<std::array<uint8_t, 6>> ParseMac(std::string_view text) {
  std::array<unsigned, 6> parts{};
  char tail = 0;
  const std::string s(text);
  std::array<uint8_t, 6> mac{};
  if (s.size() != 17 || std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &parts[0], &parts[1],
                                    &parts[2], &parts[3], &parts[4], &parts[5], &tail) != 6) {
    return Error{"\"" + s + "\" is not a MAC address like \"52:54:00:12:34:56\""};
  }
  for (size_t i = 0; i < 6; ++i) mac[i] = static_cast<uint8_t>(parts[i]);
  if (mac[0] & 1) return Error{"\"" + s + "\" is a multicast MAC address, not a server's"};
  return mac;
}

}  // namespace

PeerConfig ReadPeerSection(TableReader& table) {
  PeerConfig peer;
  peer.name = table.name();
  if (table.Require("agent", "the peer agent's health listener as \"IP:PORT\"")) {
    if (auto v = table.Parsed<Endpoint>("agent", Endpoint::Parse)) peer.agent = *v;
  }
  if (table.Has("mac")) {
    // A bad MAC is reported here; the placeholder only keeps [second_chance]
    // from reporting it missing too (the config is rejected either way).
    peer.mac =
        table.Parsed<std::array<uint8_t, 6>>("mac", ParseMac).value_or(std::array<uint8_t, 6>{});
  }
  table.ReportUnknownKeys();
  return peer;
}

SecondChanceConfig ReadSecondChanceSection(TableReader& table, const Config& config) {
  SecondChanceConfig sc;
  if (table.Require("interface", "the interface facing the directors, e.g. \"eth0\"")) {
    if (auto v = table.String("interface")) {
      if (Status s = CheckInterfaceName(*v); !s) {
        table.ErrorAt(table.Node("interface")->source(), table.KeyPath("interface"), s.error());
      }
      sc.interface = *v;
    }
  }
  if (table.Require("services", "the services whose VIP:port get a second chance")) {
    if (auto list = table.StringList("services")) {
      if (list->empty())
        table.ErrorAt(table.Node("services")->source(), table.KeyPath("services"),
                      "must name at least one service");
      for (const LocatedString& name : *list) {
        const ServiceConfig* service = config.FindService(name.text);
        if (service == nullptr) {
          table.ErrorAt(name.where, name.path, "no service named \"" + name.text + "\"");
        } else if (!service->vip || !service->vip->is_v4()) {
          table.ErrorAt(name.where, name.path,
                        "service \"" + name.text +
                            "\" has no IPv4 vip: second chance forwards packets for a VIP:port");
        } else {
          sc.services.push_back(name.text);
        }
      }
    }
  }
  if (auto v = table.Integer("max_flows", 1, 1 << 24)) sc.max_flows = static_cast<uint32_t>(*v);
  if (auto v = table.Duration("poll", Millis(50), std::chrono::minutes(1))) sc.poll = *v;
  if (auto v = table.Duration("timeout", Millis(10), std::chrono::minutes(1))) sc.timeout = *v;
  if (auto v = table.Duration("heartbeat_timeout", Millis(200), std::chrono::minutes(1))) {
    sc.heartbeat_timeout = *v;
  }
  if (sc.timeout > sc.poll) {
    table.ErrorAt(table.Node(table.Has("timeout") ? "timeout" : "poll")->source(),
                  table.KeyPath("timeout"), "must not exceed poll (one read at a time)");
  }
  for (const PeerConfig& peer : config.peers) {
    if (!peer.mac) {
      table.ErrorAtTable("[peer." + peer.name +
                         "] has no `mac`: second chance hands packets to a peer's MAC address "
                         "on the interface facing the directors");
    }
  }
  if (config.peers.empty()) {
    table.ErrorAtTable("no [peer.NAME] table: second chance needs at least one peer to hand to");
  } else if (config.peers.size() > kMaxPeers) {
    table.ErrorAtTable("at most " + std::to_string(kMaxPeers) + " [peer.NAME] tables, not " +
                       std::to_string(config.peers.size()));
  }
  table.ReportUnknownKeys();
  return sc;
}

}  // namespace rsagent::conf
