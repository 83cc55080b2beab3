#include "check/check_answer.h"

#include <charconv>

#include "common/safe_text.h"

namespace rsagent::check {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

// The value of header `name` in the response head; empty when absent.
std::string_view Header(std::string_view head, std::string_view name) {
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    const size_t start = pos + 2;
    const size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && IEquals(line.substr(0, colon), name)) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return value;
    }
    pos = end;
  }
  return {};
}

}  // namespace

CheckAnswer AnswerFor(std::string_view response) {
  const size_t head_end = response.find("\r\n\r\n");
  const std::string_view head = response.substr(0, head_end);
  int status = 0;
  if (!head.starts_with("HTTP/1.") || head.size() < 12 ||
      std::from_chars(head.data() + 9, head.data() + 12, status).ec != std::errc()) {
    return {1, "not an HTTP answer"};
  }
  const std::string_view weight_text = Header(head, "X-Rsagent-Weight");
  int weight = -1;
  if (!weight_text.empty()) {
    auto [end, ec] =
        std::from_chars(weight_text.data(), weight_text.data() + weight_text.size(), weight);
    if (ec != std::errc() || end != weight_text.data() + weight_text.size() || weight < 0 ||
        weight > 253) {
      return {1, "bad X-Rsagent-Weight \"" + SafeText(weight_text) + "\""};
    }
  }
  // Whatever answers on the port is quoted on stderr (keepalived's log, a
  // terminal): made safe, since it need not be an agent.
  const std::string reason = SafeText(Header(head, "X-Rsagent-Reason"));
  if (status == 200) {
    if (weight < 0) return {0, "UP (no weight from the agent: unchanged)"};
    return {weight + 2, "UP, weight " + std::to_string(weight)};
  }
  if (status == 503 && weight == 0) return {2, "drained: alive at weight 0 (" + reason + ")"};
  if (status == 404) return {1, "the agent has no such service"};
  return {1, "DOWN " + std::to_string(status) + (reason.empty() ? "" : ": " + reason)};
}

}  // namespace rsagent::check
