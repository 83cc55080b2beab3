// Every probe kind, in one table (probes/probe_kinds.cc): the name users
// write, the reader of its keys, whether it reports per-role verdicts, and
// its factory. Nothing else names a kind; probes/README.md says how to add
// one.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "conf/config.h"
#include "conf/probe_kind_reader.h"
#include "probes/probe.h"

namespace rsagent::probes {

struct ProbeKind {
  conf::ProbeKindReader config;                          // type, yields_roles, read
  bool (*holds)(const conf::ProbeSpec& spec) = nullptr;  // `spec` is of this kind
  // With config.watches_listener: the local listeners `spec` talks to.
  std::vector<Endpoint> (*listeners)(const conf::ProbeSpec& spec) = nullptr;
  // Specs are valid by construction (conf/ read them), so this cannot fail.
  std::unique_ptr<Probe> (*make)(const conf::ProbeSpec& spec) = nullptr;
};

std::span<const ProbeKind> ProbeKinds();
// What conf::LoadConfigFile / LoadConfigString take.
std::vector<conf::ProbeKindReader> ProbeKindReaders();

// The kind of a spec read by one of the readers; aborts on any other spec
// (an empty one, or one built by hand of a type no row names).
const ProbeKind& KindOf(const conf::ProbeSpec& spec);
inline std::string_view ProbeTypeName(const conf::ProbeSpec& spec) {
  return KindOf(spec).config.type;
}

// What the probe reports is made safe (probes/safe_probe.h).
std::unique_ptr<Probe> MakeProbe(const conf::ProbeConfig& config);

}  // namespace rsagent::probes
