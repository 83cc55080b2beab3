#include "common/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace rsagent {

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  std::string s(text);
  IpAddress ip;
  if (inet_pton(AF_INET, s.c_str(), ip.bytes_.data()) == 1) {
    ip.family_ = AF_INET;
    return ip;
  }
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes_.data()) == 1) {
    ip.family_ = AF_INET6;
    return ip;
  }
  return Error{"\"" + s + "\" is not an IPv4 or IPv6 address"};
}

IpAddress IpAddress::FromBytes(int family, const void* bytes) {
  IpAddress address;
  address.family_ = family == AF_INET6 ? AF_INET6 : AF_INET;
  std::memcpy(address.bytes_.data(), bytes, address.size());
  return address;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family_, bytes_.data(), buf, sizeof buf);
  return buf;
}

Result<Cidr> Cidr::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  ASSIGN_OR_RETURN(auto address, IpAddress::Parse(text.substr(0, slash)));
  Cidr cidr;
  cidr.network_ = address;
  cidr.prefix_ = address.max_prefix();
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > address.max_prefix()) {
      return Error{"\"" + std::string(text) + "\" has an invalid prefix length (expected 0-" +
                   std::to_string(address.max_prefix()) + ")"};
    }
    cidr.prefix_ = prefix;
  }
  return cidr;
}

bool Cidr::Contains(const IpAddress& address) const {
  if (address.family() != network_.family()) return false;
  int bits = prefix_;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((address.bytes()[i] & mask) != (network_.bytes()[i] & mask)) return false;
  }
  return true;
}

std::string Cidr::ToString() const { return network_.ToString() + "/" + std::to_string(prefix_); }

Result<Endpoint> Endpoint::Parse(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const size_t close = text.find("]:");
    if (close == std::string_view::npos) {
      return Error{"\"" + std::string(text) + "\" is not [IPv6]:port"};
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return Error{"\"" + std::string(text) + "\" is not ADDRESS:PORT (IPv6 as [ADDRESS]:PORT)"};
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  ASSIGN_OR_RETURN(auto address, IpAddress::Parse(host));
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
      value > 65535) {
    return Error{"\"" + std::string(text) + "\" has an invalid port (expected 1-65535)"};
  }
  return Endpoint{address, static_cast<uint16_t>(value)};
}

std::string Endpoint::ToString() const {
  const std::string host = address.is_v4() ? address.ToString() : "[" + address.ToString() + "]";
  return host + ":" + std::to_string(port);
}

}  // namespace rsagent
