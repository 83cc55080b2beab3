// A healthy single-primary group of three as each member sees it, for the
// group_replication tests to change one condition at a time.
#pragma once

#include <string>

#include "probes/group_replication_facts.h"

namespace rsagent::probes {

inline constexpr const char* kUuidA = "aaaaaaaa-0000-0000-0000-000000000001";
inline constexpr const char* kUuidB = "bbbbbbbb-0000-0000-0000-000000000002";
inline constexpr const char* kUuidC = "cccccccc-0000-0000-0000-000000000003";

// The group of A (PRIMARY), B and C (SECONDARY), seen from `self`.
inline GroupReplicationFacts HealthyGroupMember(const std::string& self) {
  GroupReplicationFacts f;
  f.answers = true;
  f.version = "9.7.4";
  f.server_uuid = self;
  f.members = {{kUuidA, "10.0.0.1:3306", "ONLINE", "PRIMARY"},
               {kUuidB, "10.0.0.2:3306", "ONLINE", "SECONDARY"},
               {kUuidC, "10.0.0.3:3306", "ONLINE", "SECONDARY"}};
  f.super_read_only = self != kUuidA;
  f.read_only = f.super_read_only;
  f.certifier_queue = 0;
  f.applier_queue = 0;
  return f;
}

inline GroupMember* MemberOf(GroupReplicationFacts& f, const std::string& id) {
  for (GroupMember& m : f.members) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

}  // namespace rsagent::probes
