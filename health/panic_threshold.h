// The pool's panic threshold ([service.NAME] max_down, docs/second-chance.md
// section 4): probe failures of a shared cause (a slow backend, a CPU hog on
// every node) must not take more than max_down of a peer group DOWN at once.
// Each agent decides for itself from its peers' read-only /health/SERVICE
// answers, which it sees with a delay; the rule below is safe under that
// delay: a node goes DOWN for a failing probe only on reads of its peers
// begun after its own failure was published. Of two nodes failing together
// the later one therefore always sees the earlier as failing, so the nodes
// that go DOWN never exceed max_down (with the peers seen down for other
// reasons); nodes whose failures are seen together all stay UP, as Envoy's
// panic mode sends traffic to every host.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace rsagent::agent {

// How a member stands for one service, as its agent publishes it in the
// X-Rsagent-Pool header of /health/SERVICE, whatever the threshold decided.
enum class PoolState {
  kOk,       // nothing holds it DOWN
  kFailing,  // went from ok to failing probes only: a shared cause may be at
             // work
  kDown,     // anything else: drain, maint, a dead service, no VIP, no result yet
};
const char* PoolStateName(PoolState state);  // "ok", "failing", "down"
std::optional<PoolState> ParsePoolState(std::string_view text);

// One peer's answer for the service as last read.
struct PeerStanding {
  PoolState state = PoolState::kDown;  // kDown when unread or unreadable
  bool serving = false;                // it answered 200 (held UP counts)
  SteadyTime read_started{};           // when the GET that saw this began
  SteadyTime read_done{};
};

struct PanicInput {
  int max_down = 0;            // of the group: this node and `peers`
  SteadyTime failing_since{};  // this node's failing episode began (published)
  bool down = false;           // this episode has already gone DOWN
  SteadyTime now{};
  std::chrono::milliseconds fresh{0};  // a read older than this is no evidence
  std::vector<PeerStanding> peers;
};

struct PanicDecision {
  bool hold = false;  // stay UP although the probes fail
  int counted = 0;    // the peers that let it go DOWN (healthy, or serving when down)
  int needed = 0;     // group size - max_down
};

// For a node whose service is failing (PoolState::kFailing):
// - not yet DOWN: it may go DOWN when at least group - max_down peers are
//   ok on fresh reads begun after failing_since;
// - already DOWN: it stays DOWN while at least that many peers serve (200,
//   fresh); they cannot go DOWN for a failing probe while it is failing
//   (the rule above counts it as not ok), so that is safe too.
// Otherwise it is held UP.
PanicDecision DecidePanic(const PanicInput& input);

}  // namespace rsagent::agent
