// A probe result's samples as "name{label=value}..." -> value, for the
// report tests to look one series up by its full name; what every database
// kind's samples share.
#pragma once

#include <gtest/gtest.h>

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

// Every sample is in rsagent's own namespace with its HELP, and a counter
// exactly when its name says so.
inline void ExpectOwnNamesAndTypes(const ProbeResult& r) {
  for (const Sample& s : r.samples) {
    EXPECT_TRUE(s.name.starts_with("rsagent_mysql_")) << s.name;
    EXPECT_FALSE(s.help.empty()) << s.name;
    EXPECT_EQ(s.counter, s.name.ends_with("_total")) << s.name;
  }
}

}  // namespace rsagent::probes::testing
