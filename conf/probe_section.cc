// [probe.NAME]: the keys every probe has, then the keys of its type, read by
// that kind's reader (probes/probe_kinds.cc).
#include <algorithm>
#include <chrono>

#include "conf/config_sections.h"
#include "conf/duration.h"

namespace rsagent::conf {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

// A probe must finish before the next attempt is due.
void CheckTimeoutFitsInterval(TableReader& table, const ProbeConfig& probe) {
  if (probe.timeout <= probe.interval) return;
  const bool timeout_set = table.Has("timeout");
  const std::string_view key = timeout_set ? "timeout" : "interval";
  table.ErrorAt(table.Node(key)->source(), table.KeyPath(key),
                std::string(timeout_set ? "" : "the default ") + "timeout " +
                    FormatDuration(probe.timeout) + " exceeds interval " +
                    FormatDuration(probe.interval) + " (timeout must not exceed interval)");
}

// "tcp, http, exec, mysql": for messages.
std::string KindNames(ProbeKindReaders kinds) {
  std::string names;
  for (const ProbeKindReader& kind : kinds) {
    if (!names.empty()) names += ", ";
    names += kind.type;
  }
  return names;
}

}  // namespace

std::optional<ProbeConfig> ReadProbeSection(TableReader& table, ProbeKindReaders kinds,
                                            const ProbeKindReader** kind) {
  ProbeConfig probe;
  probe.name = table.name();
  const size_t errors_before = table.error_count();
  if (auto v = table.Duration("interval", milliseconds(100), hours(1))) probe.interval = *v;
  if (auto v = table.Duration("timeout", milliseconds(10), hours(1))) probe.timeout = *v;
  if (table.error_count() == errors_before) CheckTimeoutFitsInterval(table, probe);
  if (auto v = table.Integer("rise", 1, 100)) probe.rise = static_cast<int>(*v);
  if (auto v = table.Integer("fall", 1, 100)) probe.fall = static_cast<int>(*v);

  const std::string names = KindNames(kinds);
  if (!table.Require("type", "one of " + names)) return std::nullopt;
  const std::optional<std::string> type = table.String("type");
  if (!type) return std::nullopt;
  auto found = std::find_if(kinds.begin(), kinds.end(),
                            [&](const ProbeKindReader& k) { return k.type == *type; });
  if (found == kinds.end()) {
    table.ErrorAt(table.Node("type")->source(), table.KeyPath("type"),
                  "\"" + *type + "\" is not a probe type (one of " + names + ")");
    return std::nullopt;
  }
  if (found->watches_listener) {  // elsewhere the key is unknown
    if (auto v = table.Bool("watch_listener")) probe.watch_listener = *v;
  }
  *kind = &*found;
  probe.spec = found->read(table);
  table.ReportUnknownKeys("for type = \"" + *type + "\"");
  return probe;
}

}  // namespace rsagent::conf
