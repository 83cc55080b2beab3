// Multi-port TCP check (replaces the seed's check_multi_port.sh): passes when
// every target accepts a connection before the deadline. All connects run at
// once in one poll loop, so N targets cost one timeout, not N.
#pragma once

#include <vector>

#include "common/ip_address.h"
#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// [probe.NAME] type = "tcp"
struct TcpProbeSpec {
  std::vector<Endpoint> targets;  // all must connect; at least one
  friend bool operator==(const TcpProbeSpec&, const TcpProbeSpec&) = default;
  static TcpProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
  std::vector<Endpoint> Listeners() const { return targets; }
};

class TcpProbe : public Probe {
 public:
  explicit TcpProbe(TcpProbeSpec spec) : targets_(std::move(spec.targets)) {}
  explicit TcpProbe(std::vector<Endpoint> targets) : targets_(std::move(targets)) {}
  // Fails naming the first target (in config order) that did not connect:
  // "127.0.0.1:443: connection refused", "127.0.0.1:80: timed out after 500ms".
  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  std::vector<Endpoint> targets_;
};

}  // namespace rsagent::probes
