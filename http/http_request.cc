#include "http/http_request.h"

#include <strings.h>

namespace rsagent::agent {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// "Connection: keep-alive, Upgrade" holds `token`.
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (IEquals(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

ParsedHead ParseRequestHead(std::string_view buffer) {
  // Tolerate bare LF line ends, as most servers do.
  size_t end = buffer.find("\r\n\r\n");
  size_t terminator = 4;
  if (const size_t lf = buffer.find("\n\n"); lf != std::string_view::npos && lf < end) {
    end = lf;
    terminator = 2;
  }
  if (end == std::string_view::npos) return {};
  ParsedHead parsed{.outcome = ParseOutcome::kBad, .consumed = end + terminator};
  // Up to and including the last header line's end.
  std::string_view head = buffer.substr(0, end + terminator / 2);

  const size_t line_end = head.find('\n');
  std::string_view line = Trim(head.substr(0, line_end));
  head.remove_prefix(line_end + 1);
  const size_t sp1 = line.find(' ');
  const size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2) return parsed;
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.empty() || target.empty() || target.front() != '/') return parsed;
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return parsed;

  HttpRequest& r = parsed.request;
  r.method = method;
  r.path = target.substr(0, target.find('?'));
  // HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes it.
  r.keep_alive = version == "HTTP/1.1";
  while (!head.empty()) {
    const size_t eol = head.find('\n');
    const std::string_view header = head.substr(0, eol);
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 1);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) {
      if (!Trim(header).empty()) return parsed;
      continue;
    }
    const std::string_view name = header.substr(0, colon);
    const std::string_view value = Trim(header.substr(colon + 1));
    if (IEquals(name, "Connection")) {
      if (HasToken(value, "close")) r.keep_alive = false;
      if (HasToken(value, "keep-alive")) r.keep_alive = true;
    } else if (IEquals(name, "Content-Length")) {
      r.has_body = r.has_body || value != "0";
    } else if (IEquals(name, "Transfer-Encoding")) {
      r.has_body = true;
    }
  }
  parsed.outcome = ParseOutcome::kComplete;
  return parsed;
}

}  // namespace rsagent::agent
