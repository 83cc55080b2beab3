#include "http/agent_check_reply.h"

#include <algorithm>

namespace rsagent::agent {

namespace {

// HAProxy keeps the text after '#' as the server's agent description (its
// stats page shows it): one short printable line, from the agent's fixed
// words (ServiceView::cause), never probe or database text.
std::string Comment(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 160)) {
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
  const auto b = std::find_if(s.begin(), s.end(), not_space);
  const auto e = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return b < e ? std::string_view(&*b, static_cast<size_t>(e - b)) : std::string_view();
}

std::string ServiceReply(const ServiceView& s, bool shutting_down) {
  if (shutting_down) return "down #" + Comment(s.name + ": shutting down") + "\n";
  if (s.up) return "up ready " + std::to_string(s.weight.percent) + "%\n";
  if (s.admin.state == AdminState::kDrain) return "drain #" + Comment(s.name + ": drain") + "\n";
  if (s.admin.state == AdminState::kMaint) return "maint #" + Comment(s.name + ": maint") + "\n";
  return "down #" + Comment(s.name + ": " + s.cause) + "\n";
}

}  // namespace

std::string AgentCheckReply(std::string_view request, const Snapshot& snapshot) {
  const std::string_view name = Trim(request.substr(0, request.find('\n')));
  if (!name.empty()) {
    const ServiceView* s = snapshot.FindService(std::string(name));
    if (!s) return "down #" + Comment("unknown service \"" + std::string(name) + "\"") + "\n";
    return ServiceReply(*s, snapshot.shutting_down);
  }
  if (snapshot.services.size() == 1) {
    return ServiceReply(snapshot.services.front(), snapshot.shutting_down);
  }
  if (snapshot.services.empty()) return "down #no services configured\n";
  // Several services and no name: the node as a whole, like /health.
  int percent = 100;
  for (const ServiceView& s : snapshot.services) {
    if (!s.up || snapshot.shutting_down) {
      return "down #" +
             Comment(s.name + ": " + (snapshot.shutting_down ? "shutting down" : s.cause)) + "\n";
    }
    percent = std::min(percent, s.weight.percent);
  }
  return "up ready " + std::to_string(percent) + "%\n";
}

}  // namespace rsagent::agent
