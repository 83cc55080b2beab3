// One answer of the health listener and its bytes on the wire.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rsagent::agent {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the standard ones
};

// Status line, headers (Content-Type, Content-Length, Connection when the
// server closes) and, unless answering HEAD, the body.
std::string SerializeResponse(const HttpResponse& response, bool head_request, bool keep_alive);

}  // namespace rsagent::agent
