#include "conf/http_url.h"

#include <charconv>

#include "common/ip_address.h"

namespace rsagent::conf {
namespace {

Error Invalid(std::string_view text, std::string_view why) {
  return Error{"\"" + std::string(text) + "\" is not a usable probe URL: " + std::string(why)};
}

}  // namespace

Result<HttpUrl> HttpUrl::Parse(std::string_view text) {
  HttpUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    return Invalid(text, "expected http:// or https://");
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Invalid(text, "contains a space or control character");
    }
  }
  if (text.find('#') != std::string_view::npos) {
    return Invalid(text, "a #fragment is never sent to the server; remove it");
  }

  const size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(text, "user:password@ is not supported");
  }

  std::string_view host;
  std::string_view port;
  if (authority.starts_with('[')) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(text, "unterminated [IPv6] host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return Invalid(text, "garbage after [IPv6]");
    port = after.empty() ? after : after.substr(1);
    auto address = IpAddress::Parse(host);
    if (!address || address->is_v4()) return Invalid(text, "[...] must hold an IPv6 address");
  } else {
    const size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    auto address = IpAddress::Parse(host);
    if (host != "localhost" && (!address || !address->is_v4())) {
      return Invalid(text,
                     "the host must be a literal IP address (IPv6 in brackets) or localhost; "
                     "names are not resolved");
    }
  }
  url.host = std::string(host);

  if (authority.ends_with(':') || !port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
      return Invalid(text, "invalid port (expected 1-65535)");
    }
    url.port = static_cast<uint16_t>(value);
  } else {
    url.port = url.tls ? 443 : 80;
  }

  if (target.empty()) {
    url.target = "/";
  } else if (target.starts_with('?')) {
    url.target = "/" + std::string(target);
  } else {
    url.target = std::string(target);
  }
  return url;
}

}  // namespace rsagent::conf
