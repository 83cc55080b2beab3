// Parsing of one HTTP/1.x request head, for the health listener. Only what
// the read-only protocol needs: method, path, version and whether the
// connection stays open. Bodies are never read; a request that announces one
// is answered and the connection closed, so framing can never go wrong.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rsagent::agent {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string path;    // without the query string
  bool keep_alive = false;
  bool has_body = false;
};

enum class ParseOutcome { kIncomplete, kComplete, kBad };

struct ParsedHead {
  ParseOutcome outcome = ParseOutcome::kIncomplete;
  HttpRequest request;  // when kComplete
  size_t consumed = 0;  // bytes of the head, including the blank line
};

// Looks for a whole request head at the start of `buffer`.
ParsedHead ParseRequestHead(std::string_view buffer);

}  // namespace rsagent::agent
