#include "cli/status_table.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "control/control_protocol.h"

namespace rsagent::agent {
namespace {

// The shape of a /status document (status_json.cc), one of everything.
const char* kStatus = R"({
  "version": "1.0", "uptime_seconds": 12, "shutting_down": false,
  "services": [{"name": "web", "up": true, "since": "2026-01-01T00:00:00Z", "vip": "10.0.0.1",
                "port": 80, "reason": "", "admin": {"state": "drain", "since": "x"}}],
  "probes": [{"name": "p", "type": "mysql", "up": false, "since": "s", "reason": "r",
              "last": {"latency_ms": 1.5},
              "roles": {"writer": {"up": true, "since": "s", "reason": ""}}}],
  "dr": {"ready": true, "managed": true,
         "vips": [{"address": "10.0.0.1", "present": true, "heals": 0, "error": ""}],
         "arp": {"ok": true, "error": "", "interfaces": []}}
})";

TEST(StatusTable, RendersEverySection) {
  const std::string table = StatusTable(nlohmann::json::parse(kStatus));
  EXPECT_NE(table.find("drain since x"), std::string::npos) << table;
  EXPECT_NE(table.find("1.5ms"), std::string::npos) << table;
  EXPECT_NE(table.find("as writer"), std::string::npos) << table;
  EXPECT_NE(table.find("ARP suppression: effective"), std::string::npos) << table;
}

TEST(StatusTable, WrongTypesRenderWithoutThrowing) {
  // Each of these threw nlohmann::json::type_error (the CLI aborted).
  const char* cases[] = {
      R"({"services": [{"up": "yes"}]})",
      R"({"services": [{"admin": {"state": 1}}]})",
      R"({"services": ["web"]})",
      R"({"probes": [{"last": {"latency_ms": "1"}}]})",
      R"({"probes": [{"roles": [1, 2]}]})",
      R"({"dr": {"vips": [{"present": 1}], "arp": {"ok": "yes"}}})",
      R"({"shutting_down": "no"})",
      R"([1, 2])",
  };
  for (const char* text : cases) {
    EXPECT_NO_THROW(StatusTable(nlohmann::json::parse(text))) << text;
  }
}

// Replaces a random node of `j` with a value of a random other type.
void MutateOne(nlohmann::json& j, std::mt19937_64& rng) {
  nlohmann::json* node = &j;
  while ((node->is_object() || node->is_array()) && !node->empty() && rng() % 3 != 0) {
    auto it = node->begin();
    std::advance(it, static_cast<long>(rng() % node->size()));
    node = &*it;
  }
  switch (rng() % 7) {
    case 0:
      *node = nullptr;
      break;
    case 1:
      *node = static_cast<int64_t>(rng());
      break;
    case 2:
      *node = -1.5e300;
      break;
    case 3:
      *node = "text";
      break;
    case 4:
      *node = nlohmann::json::array({1, "a"});
      break;
    case 5:
      *node = nlohmann::json::object({{"up", 1}});
      break;
    default:
      *node = (rng() % 2) == 0;
      break;
  }
}

// A malformed control response never crashes the CLI: whatever arrives on
// the socket either decodes (and renders) or is a named error. Seeded; the
// seed is printed and RSAGENT_TEST_SEED replays it.
TEST(StatusTable, RandomizedMalformedResponsesNeverThrow) {
  const char* env = std::getenv("RSAGENT_TEST_SEED");
  const uint64_t seed = env ? std::strtoull(env, nullptr, 10) : std::random_device{}();
  std::printf("RSAGENT_TEST_SEED=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  const nlohmann::json valid{{"ok", true},
                             {"message", "m"},
                             {"errors", {"e"}},
                             {"status", nlohmann::json::parse(kStatus)}};
  for (int round = 0; round < 5000; ++round) {
    nlohmann::json doc = valid;
    for (int edits = 1 + static_cast<int>(rng() % 4); edits > 0; --edits) MutateOne(doc, rng);
    std::string line = doc.dump();
    if (rng() % 4 == 0) line.resize(rng() % (line.size() + 1));  // cut short
    ASSERT_NO_THROW({
      auto response = DecodeResponse(line);
      if (response) StatusTable(response->status);
    }) << "seed "
       << seed << " round " << round << ": " << line;
  }
}

// An agent's answer is not trusted to be safe for the terminal: control
// characters in it are escaped, never printed.
TEST(StatusTable, ControlCharactersFromTheAgentAreEscaped) {
  const nlohmann::json status{
      {"version", "x\x1b]0;pwned\x07"},
      {"uptime_seconds", 1},
      {"services", {{{"name", "web"}, {"up", false}, {"reason", "exit 1: a\rb\x1b[2J"}}}},
      {"probes",
       {{{"name", "p"},
         {"up", false},
         {"reason", "c\nd"},
         {"roles", {{"w\x1b", {{"up", true}}}}}}}}};
  const std::string table = StatusTable(status);
  for (unsigned char c : table) EXPECT_TRUE(c >= 0x20 || c == '\n') << static_cast<int>(c);
  EXPECT_NE(table.find("exit 1: a\\rb\\x1b[2J"), std::string::npos) << table;
  EXPECT_NE(table.find("c\\nd"), std::string::npos) << table;
  EXPECT_NE(table.find("  as w\\x1b"), std::string::npos) << table;
}

}  // namespace
}  // namespace rsagent::agent
