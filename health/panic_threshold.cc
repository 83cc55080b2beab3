#include "health/panic_threshold.h"

namespace rsagent::agent {

const char* PoolStateName(PoolState state) {
  switch (state) {
    case PoolState::kOk:
      return "ok";
    case PoolState::kFailing:
      return "failing";
    case PoolState::kDown:
      return "down";
  }
  return "down";
}

std::optional<PoolState> ParsePoolState(std::string_view text) {
  for (PoolState s : {PoolState::kOk, PoolState::kFailing, PoolState::kDown}) {
    if (text == PoolStateName(s)) return s;
  }
  return std::nullopt;
}

PanicDecision DecidePanic(const PanicInput& input) {
  PanicDecision decision;
  decision.needed = static_cast<int>(input.peers.size()) + 1 - input.max_down;
  for (const PeerStanding& peer : input.peers) {
    if (input.now - peer.read_done > input.fresh) continue;
    if (input.down ? peer.serving
                   : peer.state == PoolState::kOk && peer.read_started > input.failing_since) {
      ++decision.counted;
    }
  }
  decision.hold = decision.counted < decision.needed;
  return decision;
}

}  // namespace rsagent::agent
