#include "agent/event_log.h"

namespace rsagent::agent {

EventLog::EventLog(std::shared_ptr<spdlog::logger> logger, std::shared_ptr<LogSink> sink,
                   EventThrottle::Limits limits, Now now)
    : logger_(std::move(logger)), sink_(std::move(sink)), now_(std::move(now)), throttle_(limits) {}

void EventLog::Emit(const Event& event) {
  if (!logger_->should_log(event.level)) return;
  std::lock_guard lock(mu_);
  if (!event.flood_bounded) {
    WriteLocked(event, "", 0);
    return;
  }
  const auto now = now_();
  const auto decision = throttle_.Admit(event.action + " " + event.subject, now);
  if (!decision.log) {
    held_[event.action + " " + event.subject] = Held{event, now};
    return;
  }
  held_.erase(event.action + " " + event.subject);
  std::string note;
  if (decision.suppressed_before) {
    note = " [flapping: " + std::to_string(decision.suppressed_before) +
           " earlier changes not logged]";
  }
  WriteLocked(event, note, decision.suppressed_before);
}

void EventLog::Flush() {
  std::lock_guard lock(mu_);
  const auto now = now_();
  for (const auto& release : throttle_.Due(now)) {
    auto it = held_.find(release.key);
    if (it == held_.end()) continue;
    const uint64_t earlier = release.suppressed - 1;
    std::string note =
        " [flapping: logged " +
        FormatElapsed(std::chrono::duration_cast<std::chrono::milliseconds>(now - it->second.at)) +
        " late by the flood bound";
    if (earlier) note += "; " + std::to_string(earlier) + " earlier changes not logged";
    note += "]";
    WriteLocked(it->second.event, note, earlier);
    held_.erase(it);
  }
}

void EventLog::WriteLocked(const Event& e, const std::string& note, uint64_t suppressed) {
  const std::string message = EventMessage(e) + note;
  const LogFields fields{
      .action = e.action,
      .service = e.service,
      .probe = e.probe,
      .role = e.role,
      .vip = e.vip,
      .from = e.from,
      .to = e.to,
      .reason = e.reason,
      .previous_state_seconds =
          e.previous_for
              ? std::optional<double>(std::chrono::duration<double>(*e.previous_for).count())
              : std::nullopt,
      .suppressed = suppressed};
  sink_->Write(LogLine{.time = std::chrono::system_clock::now(),
                       .level = e.level,
                       .message = message,
                       .fields = &fields});
}

}  // namespace rsagent::agent
