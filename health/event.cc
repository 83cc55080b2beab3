#include "health/event.h"

#include <cstdio>

namespace rsagent::agent {

std::string FormatElapsed(std::chrono::milliseconds d) {
  const int64_t ms = std::max<int64_t>(d.count(), 0);
  char out[32];
  if (ms < 1000) {
    std::snprintf(out, sizeof out, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60'000) {
    std::snprintf(out, sizeof out, "%.1fs", static_cast<double>(ms / 100) / 10.0);
  } else if (ms < 3'600'000) {
    std::snprintf(out, sizeof out, "%lldm%llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>(ms / 1000 % 60));
  } else if (ms < 86'400'000) {
    std::snprintf(out, sizeof out, "%lldh%lldm", static_cast<long long>(ms / 3'600'000),
                  static_cast<long long>(ms / 60'000 % 60));
  } else {
    std::snprintf(out, sizeof out, "%lldd%lldh", static_cast<long long>(ms / 86'400'000),
                  static_cast<long long>(ms / 3'600'000 % 24));
  }
  return out;
}

std::string EventMessage(const Event& e) {
  std::string text = e.subject;
  if (!e.from.empty() || !e.to.empty()) {
    text += " " + e.from + " -> " + e.to;
    if (e.previous_for) text += " (was " + e.from + " for " + FormatElapsed(*e.previous_for) + ")";
  }
  if (!e.reason.empty()) text += ": " + e.reason;
  return text;
}

}  // namespace rsagent::agent
