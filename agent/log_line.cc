#include "agent/log_line.h"

#include <ctime>

#include "common/json_dump.h"
#include "common/safe_text.h"

namespace rsagent::agent {

namespace {

using SysClock = std::chrono::system_clock;

// A reload's error list can be long; a line stays bounded all the same.
constexpr size_t kMaxMessageBytes = 8192;

std::string Rfc3339(SysClock::time_point t, bool utc) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t secs =
      static_cast<std::time_t>(std::chrono::floor<std::chrono::seconds>(ms).count());
  const int millis = static_cast<int>(ms.count() - static_cast<int64_t>(secs) * 1000);
  std::tm tm{};
  if (utc) {
    gmtime_r(&secs, &tm);
  } else {
    localtime_r(&secs, &tm);
  }
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  char zone[16] = "Z";
  if (!utc) {
    const int off = static_cast<int>(tm.tm_gmtoff / 60);  // minutes east of UTC, |off| < 24 h
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60 % 100,
                  std::abs(off) % 60);
  }
  char out[64];  // room for every int millis and zone, so GCC sees no truncation
  std::snprintf(out, sizeof out, "%s.%03d%s", date, millis, zone);
  return out;
}

// ECS log.level values: the short names log shippers map to severities.
const char* EcsLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "info";
  }
}

const char* TextLevel(spdlog::level::level_enum level) {
  return level == spdlog::level::warn ? "warning" : EcsLevel(level);
}

void Put(nlohmann::json& j, const char* key, std::string_view value) {
  if (!value.empty()) j[key] = SafeText(value, kMaxMessageBytes);
}

// sd-daemon(3): "<N>" at the start of a line written to journald's stream.
std::string JournalPrefix(spdlog::level::level_enum level) {
  return "<" + std::to_string(SyslogPriority(level)) + ">";
}

}  // namespace

std::string Rfc3339Local(SysClock::time_point t) { return Rfc3339(t, false); }
std::string Rfc3339Utc(SysClock::time_point t) { return Rfc3339(t, true); }

int SyslogPriority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return 7;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::err:
      return 3;
    case spdlog::level::critical:
      return 2;
    default:
      return 6;
  }
}

std::string FormatText(const LogLine& line, TextStyle style) {
  std::string out;
  if (style == TextStyle::kJournal) {
    out = JournalPrefix(line.level);
  } else {
    out = Rfc3339Local(line.time) + " ";
  }
  out += TextLevel(line.level);
  out += style == TextStyle::kJournal ? ": " : " ";
  // Outside text in a message was made safe where it entered; this keeps the
  // line whole (no forged line or priority) whatever reaches it.
  out += SafeText(line.message, kMaxMessageBytes);
  out += '\n';
  return out;
}

std::string FormatJson(const LogLine& line) {
  nlohmann::json j;
  j["@timestamp"] = Rfc3339Utc(line.time);
  j["log.level"] = EcsLevel(line.level);
  j["message"] = SafeText(line.message, kMaxMessageBytes);
  j["ecs.version"] = "8.11.0";
  j["service.name"] = "rsagent";
  if (const LogFields* f = line.fields) {
    Put(j, "event.action", f->action);
    Put(j, "rsagent.service", f->service);
    Put(j, "rsagent.probe", f->probe);
    Put(j, "rsagent.role", f->role);
    Put(j, "rsagent.vip", f->vip);
    Put(j, "rsagent.from", f->from);
    Put(j, "rsagent.to", f->to);
    Put(j, "rsagent.reason", f->reason);
    if (f->previous_state_seconds) j["rsagent.previous_state_seconds"] = *f->previous_state_seconds;
    if (f->suppressed) j["rsagent.suppressed"] = f->suppressed;
  }
  return DumpJson(j) + "\n";
}

std::string FormatLine(const LogLine& line, LogFormat format, TextStyle style) {
  if (format == LogFormat::kText) return FormatText(line, style);
  return style == TextStyle::kJournal ? JournalPrefix(line.level) + FormatJson(line)
                                      : FormatJson(line);
}

}  // namespace rsagent::agent
