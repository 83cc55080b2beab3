// [vip]: the addresses this node accepts DR traffic for, and ARP suppression.
#include "conf/config_sections.h"

namespace rsagent::conf {
namespace {

// A DR real server binds the VIP as a host route. A mask would also claim
// the VIP's subnet as local and make the node answer for its neighbours.
Result<IpAddress> ParseVipAddress(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    const std::string host(text.substr(0, slash));
    auto address = IpAddress::Parse(host);
    const char* bound_as = address && !address->is_v4() ? "/128" : "/32";
    return Error{"\"" + std::string(text) + "\" carries a mask; a VIP is bound as " + bound_as +
                 " and must be written without one: \"" + host +
                 "\" (a mask would make the node claim the whole subnet as local)"};
  }
  return IpAddress::Parse(text);
}

Result<std::string> ParseInterfaceName(std::string_view text) {
  RETURN_IF_ERROR(CheckInterfaceName(text));
  return std::string(text);
}

}  // namespace

void ReadVipSection(TableReader& table, VipConfig* vip) {
  if (auto v = table.ParsedList<IpAddress>("addresses", ParseVipAddress)) vip->addresses = *v;
  if (auto v = table.Parsed<std::string>("device", ParseInterfaceName)) vip->device = *v;
  if (auto v = table.Bool("manage")) vip->manage = *v;
  if (auto v = table.Integer("arp_ignore", 0, 8)) vip->arp_ignore = static_cast<int>(*v);
  if (auto v = table.Integer("arp_announce", 0, 2)) vip->arp_announce = static_cast<int>(*v);
  if (auto v = table.ParsedList<std::string>("arp_interfaces", ParseInterfaceName)) {
    vip->arp_interfaces = *v;
  }
  if (auto v = table.Bool("remove_on_stop")) vip->remove_on_stop = *v;
  table.ReportUnknownKeys();
}

}  // namespace rsagent::conf
