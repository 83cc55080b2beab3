#include "diagnose/proc_net_tcp.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <sstream>

namespace rsagent::agent::diagnose {

namespace {

bool ParseHex(std::string_view text, uint32_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

constexpr const char* kListenState = "0A";

// The kernel prints each 32-bit word of the address in host byte order as
// hex: "0100007F" is 127.0.0.1 on little-endian machines.
bool ParseAddress(const std::string& hex, bool v6, IpAddress* out) {
  const size_t words = v6 ? 4 : 1;
  if (hex.size() != words * 8) return false;
  unsigned char bytes[16];
  for (size_t w = 0; w < words; ++w) {
    uint32_t word = 0;
    if (!ParseHex(std::string_view(hex).substr(w * 8, 8), &word)) return false;
    std::memcpy(bytes + w * 4, &word, 4);
  }
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof text)) return false;
  auto parsed = IpAddress::Parse(text);
  if (!parsed) return false;
  *out = *parsed;
  return true;
}

}  // namespace

std::vector<Listener> ParseProcNetTcp(const std::string& text, bool v6) {
  std::vector<Listener> out;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    if (!(fields >> slot >> local >> remote >> state) || state != kListenState) continue;
    const size_t colon = local.find(':');
    if (colon == std::string::npos) continue;
    Listener listener;
    if (!ParseAddress(local.substr(0, colon), v6, &listener.address)) continue;
    uint32_t port = 0;
    if (!ParseHex(std::string_view(local).substr(colon + 1), &port) || port > 0xffff) continue;
    listener.port = static_cast<uint16_t>(port);
    out.push_back(listener);
  }
  return out;
}

}  // namespace rsagent::agent::diagnose
