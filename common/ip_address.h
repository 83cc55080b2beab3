// IP addresses, CIDR prefixes and host:port endpoints, parsed from config text.
// Only literal addresses: rsagent never resolves names, so no probe or config
// load can block on DNS.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent {

class IpAddress {
 public:
  IpAddress() = default;
  // "192.168.1.100" or "2001:db8::1" (no brackets, no mask).
  static Result<IpAddress> Parse(std::string_view text);
  // From a kernel structure: 4 (AF_INET) or 16 (AF_INET6) bytes, network order.
  static IpAddress FromBytes(int family, const void* bytes);

  int family() const { return family_; }  // AF_INET or AF_INET6
  bool is_v4() const { return family_ == AF_INET; }
  const uint8_t* bytes() const { return bytes_.data(); }
  size_t size() const { return is_v4() ? 4 : 16; }
  int max_prefix() const { return is_v4() ? 32 : 128; }
  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  int family_ = AF_INET;
  std::array<uint8_t, 16> bytes_{};
};

class Cidr {
 public:
  // "10.0.0.0/8", "192.168.1.2/32", "::1/128"; a bare address means a host.
  static Result<Cidr> Parse(std::string_view text);

  bool Contains(const IpAddress& address) const;
  const IpAddress& network() const { return network_; }
  int prefix() const { return prefix_; }
  std::string ToString() const;

  friend bool operator==(const Cidr&, const Cidr&) = default;

 private:
  IpAddress network_;
  int prefix_ = 0;
};

struct Endpoint {
  IpAddress address;
  uint16_t port = 0;

  // "127.0.0.1:80", "[::1]:3306".
  static Result<Endpoint> Parse(std::string_view text);
  std::string ToString() const;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

}  // namespace rsagent
