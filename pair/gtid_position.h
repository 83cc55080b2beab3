// A MariaDB GTID position (@@gtid_binlog_pos, @@gtid_current_pos): the last
// GTID per replication domain, "domain-server-seq" joined by commas. Within
// a domain sequence numbers only grow, so "I hold everything the peer
// committed" is, per domain the peer lists, my sequence >= the peer's.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace rsagent::pair {

struct Gtid {
  uint32_t server_id = 0;
  uint64_t seq = 0;
  friend bool operator==(const Gtid&, const Gtid&) = default;
};

class GtidPosition {
 public:
  // "" is the empty position (a server that never wrote a transaction).
  // Whitespace around entries is allowed (the server prints newlines).
  static Result<GtidPosition> Parse(std::string_view text);

  // True when, for every domain in `other`, this position has the domain at
  // an equal or higher sequence number. An equal sequence from a different
  // server means the two histories diverged: not contained.
  bool Contains(const GtidPosition& other) const;
  // The first domain of `other` this position lacks, for reasons:
  // "domain 1: have 1-1-17, peer has 1-1-20". Empty when Contains().
  std::string DescribeMissing(const GtidPosition& other) const;

  std::string ToString() const;
  bool empty() const { return domains_.empty(); }
  friend bool operator==(const GtidPosition&, const GtidPosition&) = default;

 private:
  std::map<uint32_t, Gtid> domains_;  // domain id -> last GTID
};

}  // namespace rsagent::pair
