#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "conf/config_loader.h"
#include "probes/probe_kinds.h"

namespace rsagent::conf {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kDbNode = R"([vip]
addresses = ["10.0.0.100"]

[probe.mysql]
type = "mysql"
socket = "/run/mysqld/mysqld.sock"

[probe.ports]
type = "tcp"
targets = ["127.0.0.1:3306"]

[service.db-writer]
vip = "10.0.0.100"
port = 3306
probes = ["mysql", "ports"]
role = "writer"

[service.db-reader]
port = 3306
probes = ["mysql"]
role = "reader"
)";

// The config's [pair], or every error (file:line:col: message) as the user sees it.
std::variant<PairConfig, std::vector<std::string>> LoadPair(std::string_view pair,
                                                            std::string_view node = kDbNode) {
  LoadResult result = LoadConfigString(std::string(node) + std::string(pair), "t.toml",
                                       probes::ProbeKindReaders());
  if (!result.ok()) return result.ErrorLines();
  if (!result.config().pair) return std::vector<std::string>{"<no [pair]>"};
  return *result.config().pair;
}

std::vector<std::string> PairErrors(std::string_view pair, std::string_view node = kDbNode) {
  auto loaded = LoadPair(pair, node);
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) return *errors;
  return {"<loaded without errors>"};
}

TEST(PairSection, ReadsEveryKeyAndFindsTheMysqlProbe) {
  auto loaded = LoadPair(R"(
[pair]
service = "db-writer"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)");
  ASSERT_TRUE(std::holds_alternative<PairConfig>(loaded)) << PairErrors("")[0];
  const PairConfig& pair = std::get<PairConfig>(loaded);
  EXPECT_EQ(pair.probe, "mysql");
  EXPECT_EQ(pair.peer_mysql.ToString(), "10.0.0.21:3306");
  EXPECT_EQ(pair.peer_agent.ToString(), "10.0.0.21:9480");
  EXPECT_EQ(pair.interval, Millis(500));
  EXPECT_EQ(pair.timeout, Millis(400));
  EXPECT_FALSE(pair.fence);
  EXPECT_EQ(pair.switchover_drain, Millis(2000));
  EXPECT_EQ(pair.switchover_timeout, Millis(30000));

  loaded = LoadPair(R"(
[pair]
service = "db-writer"
probe = "mysql"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
interval = "1s"
timeout = "800ms"
fence = true
switchover_drain = "0s"
switchover_timeout = "1m"
)");
  ASSERT_TRUE(std::holds_alternative<PairConfig>(loaded));
  EXPECT_TRUE(std::get<PairConfig>(loaded).fence);
  EXPECT_EQ(std::get<PairConfig>(loaded).switchover_timeout, Millis(60000));
}

TEST(PairSection, ReferencesMustBeAWriterServiceAndItsMysqlProbe) {
  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-writter"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)"),
              ElementsAre("t.toml:24:11: pair.service: no service named \"db-writter\" (define "
                          "[service.db-writter] with role = \"writer\")"));
  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-reader"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)"),
              ElementsAre("t.toml:24:11: pair.service: service \"db-reader\" is not a writer "
                          "service (the pair decides who takes writes: set role = \"writer\" "
                          "on "
                          "it)"));
  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-writer"
probe = "ports"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)"),
              ElementsAre("t.toml:25:9: pair.probe: \"ports\" is not a mysql probe of service "
                          "\"db-writer\""));
}

TEST(PairSection, TheServiceNeedsAVipAndTheDrainFitsTheTimeout) {
  LoadResult result = LoadConfigString(R"([probe.mysql]
type = "mysql"
socket = "/run/mysqld/mysqld.sock"

[service.db-writer]
port = 3306
probes = ["mysql"]
role = "writer"

[pair]
service = "db-writer"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)",
                                       "t.toml", probes::ProbeKindReaders());
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors().size(), 1u);
  EXPECT_EQ(result.errors().front().ToString(),
            "t.toml:11:11: pair.service: service \"db-writer\" has no vip (a "
            "switchover waits "
            "until no client is connected to VIP:port: set vip on it)");

  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-writer"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
switchover_drain = "30s"
)"),
              ElementsAre("t.toml:27:20: pair.switchover_drain: must be shorter than "
                          "switchover_timeout (which bounds the wait for clients to leave)"));
}

// A galera probe yields roles but cannot be a pair's server (its cluster has
// no single writer to arbitrate): a writer service with only that probe has
// no server for the pair (this used to load with an empty pair.probe).
TEST(PairSection, OnlyAKindWithAPairServerCanBeThePairsProbe) {
  constexpr std::string_view kGaleraNode = R"([vip]
addresses = ["10.0.0.100"]

[probe.galera]
type = "galera"
socket = "/run/mysqld/mysqld.sock"

[service.db-writer]
vip = "10.0.0.100"
port = 3306
probes = ["galera"]
role = "writer"
)";
  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-writer"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)",
                         kGaleraNode),
              ElementsAre("t.toml:15:11: pair.service: service \"db-writer\" has no mysql probe "
                          "(the pair reads the local server through it)"));
  EXPECT_THAT(PairErrors(R"(
[pair]
service = "db-writer"
probe = "galera"
peer_mysql = "10.0.0.21:3306"
peer_agent = "10.0.0.21:9480"
)",
                         kGaleraNode),
              ElementsAre("t.toml:16:9: pair.probe: \"galera\" is not a mysql probe of service "
                          "\"db-writer\""));
}

TEST(PairSection, BadValuesAndMissingKeys) {
  auto errors = PairErrors(R"(
[pair]
service = "db-writer"
peer_mysql = "10.0.0.21"
interval = "200ms"
)");
  EXPECT_THAT(errors,
              ElementsAre("t.toml:23:1: pair: missing required key `peer_agent` (the peer "
                          "agent's listener as \"IP:PORT\")",
                          "t.toml:25:14: pair.peer_mysql: \"10.0.0.21\" is not ADDRESS:PORT "
                          "(IPv6 as [ADDRESS]:PORT)",
                          "t.toml:26:12: pair.timeout: must not exceed interval (one round at "
                          "a "
                          "time)"));
}

}  // namespace
}  // namespace rsagent::conf
