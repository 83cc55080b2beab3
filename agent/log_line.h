// One log line, in the format [agent] log_format names. Pure functions: the
// sink (agent/log_sink.h) decides where lines go; tests check lines here.
//
//   text, journald   "<4>warning: probe nginx UP -> DOWN (was UP for 2m3s): HTTP 502"
//                    sd-daemon priority prefix (`journalctl -p warning` works);
//                    journald adds its own timestamp
//   text, elsewhere  "2026-12-01T08:30:00.123+01:00 warning probe nginx UP -> ..."
//   json             {"@timestamp":"2026-12-01T07:30:00.123Z","log.level":"warn",
//                    "message":"...","service.name":"rsagent","event.action":
//                    "probe-state-change","rsagent.probe":"nginx",...}
//                    ECS field names, one object per line, every field escaped;
//                    under journald after the same <N> prefix (journald takes it
//                    as PRIORITY, MESSAGE is the object), else bare
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rsagent::agent {

enum class LogFormat { kText, kJson };
enum class TextStyle { kJournal, kTimestamped };

// Structured fields of an event line; empty ones are left out. In text they
// are already part of the message.
struct LogFields {
  std::string_view action;   // event.action, e.g. "service-state-change"
  std::string_view service;  // rsagent.service
  std::string_view probe;    // rsagent.probe
  std::string_view role;     // rsagent.role (a mysql probe's writer/reader verdict)
  std::string_view vip;      // rsagent.vip
  std::string_view from;     // rsagent.from: the previous state
  std::string_view to;       // rsagent.to: the new state
  std::string_view reason;   // rsagent.reason
  std::optional<double> previous_state_seconds;  // how long `from` lasted
  uint64_t suppressed = 0;  // rsagent.suppressed: changes not logged before this one
};

struct LogLine {
  std::chrono::system_clock::time_point time;
  spdlog::level::level_enum level = spdlog::level::info;
  std::string_view message;
  const LogFields* fields = nullptr;
};

// Ends with '\n' and contains no other line break, whatever the message holds.
std::string FormatText(const LogLine& line, TextStyle style);
std::string FormatJson(const LogLine& line);
// The line as the sink writes it: FormatText, or FormatJson with the
// priority prefix under journald.
std::string FormatLine(const LogLine& line, LogFormat format, TextStyle style);

// syslog(3) priority of a level: 7 debug (and trace), 6 info, 4 warning,
// 3 error, 2 critical.
int SyslogPriority(spdlog::level::level_enum level);

// RFC 3339 with milliseconds: local time with its offset ("+01:00") for
// text, UTC ("Z") for JSON.
std::string Rfc3339Local(std::chrono::system_clock::time_point t);
std::string Rfc3339Utc(std::chrono::system_clock::time_point t);

}  // namespace rsagent::agent
