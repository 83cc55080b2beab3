// The URL of an http probe. The host must be a literal address or
// "localhost" (meaning 127.0.0.1): probes never resolve names, so they
// cannot hang on DNS, and they only ever talk to this node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::conf {

struct HttpUrl {
  bool tls = false;    // https://
  std::string host;    // "127.0.0.1", "::1" (no brackets) or "localhost"
  uint16_t port = 0;   // as written, else 80 / 443 from the scheme
  std::string target;  // path and query as sent in the request line; at least "/"

  // "http://127.0.0.1/", "https://[::1]:8443/health?full=1", "http://localhost:8080".
  static Result<HttpUrl> Parse(std::string_view text);
};

}  // namespace rsagent::conf
