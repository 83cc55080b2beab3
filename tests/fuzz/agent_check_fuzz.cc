// The agent-check line HAProxy (or anyone allowed) sends
// (http/agent_check_reply.h): the answer is one line of the protocol's
// words, never the sender's bytes.
#include <string>

#include "common/safe_text.h"
#include "http/agent_check_reply.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent;
using namespace rsagent::agent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Snapshot snapshot = [] {
    Snapshot s;
    s.services = {
        ServiceView{.name = "web", .up = true, .weight = {.percent = 60}},
        ServiceView{.name = "db", .up = false, .cause = "probe m down"},
        ServiceView{
            .name = "api", .up = false, .cause = "drain", .admin = {AdminState::kDrain, {}}}};
    return s;
  }();
  const std::string reply = AgentCheckReply(FuzzText(data, size), snapshot);
  FUZZ_CHECK(!reply.empty() && reply.back() == '\n');
  const std::string line = reply.substr(0, reply.size() - 1);
  FUZZ_CHECK(IsSafeText(line));
  FUZZ_CHECK(line.starts_with("up ") || line.starts_with("down") || line.starts_with("drain") ||
             line.starts_with("maint"));
  return 0;
}
