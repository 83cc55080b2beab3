// A probe result's samples as "name{label=value}..." -> value, for the
// report tests to look one series up by its full name.
#pragma once

#include <map>
#include <string>

#include "probes/probe.h"

namespace rsagent::probes::testing {

inline std::map<std::string, double> SampleMap(const ProbeResult& r) {
  std::map<std::string, double> out;
  for (const Sample& s : r.samples) {
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "{" + k + "=" + v + "}";
    out[key] = s.value;
  }
  return out;
}

}  // namespace rsagent::probes::testing
