// What the config loader needs to know of a probe kind: the name users write
// (`type = "tcp"`), whether it reports per-role verdicts (so a service with
// `role` may use it), whether it can be the local server of a [pair], whether
// it talks to a local listener (so `watch_listener` applies), and the
// reader of its own keys. The table of every
// kind is probes/probe_kinds.cc; callers pass it to the loader, so conf/
// does not depend on probes/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "conf/probe_spec.h"

namespace rsagent::conf {

class TableReader;  // conf/toml_reader.h

// The MySQL server a probe talks to, as the [pair] arbiter connects to it.
struct MysqlServer {
  std::string socket;               // unix socket, or
  std::optional<Endpoint> address;  // host:port (exactly one of the two)
  std::string credentials;          // option file with [client] user/password
  friend bool operator==(const MysqlServer&, const MysqlServer&) = default;
};

struct ProbeKindReader {
  std::string_view type;
  bool yields_roles = false;
  // Non-null for a kind whose server can be one master of a [pair] (mysql;
  // not galera, whose cluster has no single writer to arbitrate): the server
  // a spec of this kind reads.
  MysqlServer (*pair_server)(const ProbeSpec& spec) = nullptr;
  // The kind's target is a local listener whose loss can turn the probe
  // DOWN at once (probes/watched_listeners.h): `watch_listener` is its key.
  bool watches_listener = false;
  // Reads and validates the kind's keys, reporting every problem into the
  // table's ErrorList; what it returns is used only when none was reported.
  ProbeSpec (*read)(TableReader& table) = nullptr;
};

using ProbeKindReaders = std::span<const ProbeKindReader>;

}  // namespace rsagent::conf
