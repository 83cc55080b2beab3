// Consecutive-threshold hysteresis, the one place rise/fall is implemented
// (as in kubelet's prober worker). Starts DOWN: a probe must prove itself
// `rise` times before its service takes traffic.
#pragma once

namespace rsagent::agent {

class Hysteresis {
 public:
  Hysteresis(int rise, int fall) : rise_(rise), fall_(fall) {}

  // Feeds one attempt; returns true when the state flipped.
  bool Observe(bool ok);

  // DOWN now, whatever `fall` says: the thing probed is known to be gone
  // (an event, not an attempt). Coming back still takes `rise` passes.
  // Returns true when the state flipped.
  bool ForceDown();

  bool up() const { return up_; }
  // Consecutive attempts that disagree with the current state (progress
  // towards a flip); 0 when the last attempt agreed.
  int pending() const { return pending_; }

 private:
  int rise_;
  int fall_;
  bool up_ = false;
  int pending_ = 0;
};

}  // namespace rsagent::agent
