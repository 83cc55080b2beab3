// Which server a connection reached, from its version string, so the probe
// sends only statements that server knows (a MySQL 9.7 answers MariaDB's
// SHOW ALL SLAVES STATUS with error 1064, and logs it). Versions compare as
// numbers: MySQL's calendar versions after 9.7 ("26.7") are newer.
#pragma once

#include <optional>
#include <string_view>

namespace rsagent::probes {

struct ServerVersion {
  bool mariadb = false;
  int major = 0;
  int minor = 0;
  int patch = 0;
  bool AtLeast(int major, int minor, int patch) const;
};

// "10.11.19-MariaDB-0+deb12u1", "5.5.5-10.11.6-MariaDB" (the replication
// prefix MariaDB sends old clients), "9.7.4-2", "8.0.36-0ubuntu0.22.04.1",
// "26.7.0". nullopt when there is no MAJOR.MINOR at the start.
std::optional<ServerVersion> ParseServerVersion(std::string_view text);

// The replica status statement the server knows: SHOW ALL SLAVES STATUS on
// MariaDB (every channel), SHOW REPLICA STATUS on MySQL 8.0.22+ (the only one
// 8.4 and later know), SHOW SLAVE STATUS before.
const char* ReplicaStatusStatement(const ServerVersion& version);

// The grant that lets a monitoring user read the replica status:
// SLAVE MONITOR on MariaDB 10.5.9+, REPLICATION CLIENT elsewhere.
const char* ReplicaMonitorGrant(const ServerVersion& version);

}  // namespace rsagent::probes
