// A state change worth one log line (issue 14): a service or probe verdict,
// a VIP or ARP state, an admin override, a reload or shutdown step. What
// changed, from what, to what, why, and how long the previous state lasted.
// Producers fill an Event and hand it to an EventSink; they never format.
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <optional>
#include <string>

namespace rsagent::agent {

struct Event {
  spdlog::level::level_enum level = spdlog::level::info;
  std::string action;   // event.action: "service-state-change", "config-reload", ...
  std::string subject;  // who changed, as the line names it: "service web",
                        // "VIP 10.0.0.1"
  std::string service, probe, role,
      vip;               // structured fields (JSON); empty when n/a
  std::string from, to;  // states; both empty for a one-off step
  std::string reason;    // why (outside text, made safe where it entered)
  std::optional<std::chrono::milliseconds> previous_for;  // how long `from` lasted
  // A state that can flap (a verdict, a VIP): its lines are bounded per
  // subject (agent/event_throttle.h). Admin actions and reload/shutdown steps
  // are always logged.
  bool flood_bounded = false;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(const Event& event) = 0;
};

// The line's text:
//   "service web UP -> DOWN (was UP for 2m3s): probe nginx: connect refused"
//   "reload: reloaded /etc/rsagent/rsagent.toml: 2 probes, 1 services"
std::string EventMessage(const Event& event);

// "850ms", "12.3s", "4m5s", "3h2m", "2d4h": how long, for a reader.
std::string FormatElapsed(std::chrono::milliseconds d);

}  // namespace rsagent::agent
