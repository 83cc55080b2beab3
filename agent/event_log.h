// The EventSink of the daemon: each event becomes one line on the log sink
// (with its fields in JSON), state changes bounded per subject by an
// EventThrottle. Thread-safe; Flush() from a ticker logs what the bound held
// back once the subject's bucket allows.
#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "agent/event_throttle.h"
#include "agent/log_sink.h"
#include "common/clock.h"
#include "health/event.h"

namespace rsagent::agent {

class EventLog : public EventSink {
 public:
  using Now = std::function<SteadyTime()>;  // the clock, replaceable in tests

  // `logger` decides the level (log_level); lines go to `sink`.
  EventLog(std::shared_ptr<spdlog::logger> logger, std::shared_ptr<LogSink> sink,
           EventThrottle::Limits limits = {}, Now now = Clock::now);

  void Emit(const Event& event) override;
  void Flush();

 private:
  struct Held {
    Event event;
    SteadyTime at;
  };
  void WriteLocked(const Event& event, const std::string& note, uint64_t suppressed);

  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<LogSink> sink_;
  Now now_;
  std::mutex mu_;
  EventThrottle throttle_;
  std::map<std::string, Held> held_;  // the last held-back change per subject
};

}  // namespace rsagent::agent
