#include "netsetup/arp_sysctl.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rsagent::netsetup {

ArpValues EffectiveArp(const ArpValues& all, const ArpValues& iface) {
  return {std::max(all.arp_ignore, iface.arp_ignore),
          std::max(all.arp_announce, iface.arp_announce)};
}

ArpSetting JudgeArp(const std::string& interface, const ArpValues& effective,
                    const ArpValues& wanted) {
  return {
      interface, effective.arp_ignore, effective.arp_announce,
      effective.arp_ignore >= wanted.arp_ignore && effective.arp_announce >= wanted.arp_announce};
}

Result<ArpValues> ArpSysctls::Read(const std::string& interface) const {
  ASSIGN_OR_RETURN(auto ignore, ReadOne(interface, "arp_ignore"));
  ASSIGN_OR_RETURN(auto announce, ReadOne(interface, "arp_announce"));
  return ArpValues{ignore, announce};
}

Status ArpSysctls::Write(const std::string& interface, const ArpValues& wanted) const {
  ASSIGN_OR_RETURN(auto current, Read(interface));
  if (current.arp_ignore != wanted.arp_ignore) {
    if (auto s = WriteOne(interface, "arp_ignore", wanted.arp_ignore); !s) return s;
  }
  if (current.arp_announce != wanted.arp_announce) {
    if (auto s = WriteOne(interface, "arp_announce", wanted.arp_announce); !s) return s;
  }
  return Status::Ok();
}

Result<int> ArpSysctls::ReadOne(const std::string& interface, const char* key) const {
  const std::string path = root_ + "/" + interface + "/" + key;
  std::ifstream in(path);
  std::string text;
  if (!in || !(in >> text)) return Error{"cannot read " + path + ": " + std::strerror(errno)};
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Error{path + " holds \"" + text + "\", not an integer"};
  }
  return value;
}

Status ArpSysctls::WriteOne(const std::string& interface, const char* key, int value) const {
  const std::string path = root_ + "/" + interface + "/" + key;
  std::ofstream out(path);
  out << value << '\n';
  out.flush();
  if (!out) return Error{"cannot write " + path + ": " + std::strerror(errno)};
  return Status::Ok();
}

}  // namespace rsagent::netsetup
