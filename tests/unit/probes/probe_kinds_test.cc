#include "probes/probe_kinds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/safe_text.h"
#include "probes/exec_probe.h"
#include "probes/watched_listeners.h"
#include "tests/unit/probes/kind_samples.h"

namespace rsagent::probes {
namespace {

using ::testing::HasSubstr;

// Every row of the table, from config to an attempt: its reader accepts a
// valid section, the spec it returns is recognised as this kind, the factory
// builds a probe, and an attempt reports role verdicts exactly when the row
// says the kind yields roles — the promise services with `role` rely on.
TEST(ProbeKinds, EveryRowIsWiredFromConfigToAnAttempt) {
  ASSERT_FALSE(ProbeKinds().empty());
  for (const ProbeKind& kind : ProbeKinds()) {
    SCOPED_TRACE(std::string(kind.config.type));
    ASSERT_TRUE(testing::KindSampleConfig(kind).has_value())
        << "add a sample section to tests/unit/probes/kind_samples.h";
    ASSERT_NE(kind.config.read, nullptr);
    ASSERT_NE(kind.holds, nullptr);
    ASSERT_NE(kind.make, nullptr);

    conf::LoadResult loaded =
        testing::LoadKindSample(kind, kind.config.yields_roles ? "writer" : "");
    ASSERT_TRUE(loaded.ok()) << loaded.ErrorLines().front();
    const conf::ProbeConfig& probe = loaded.config().probes.at(0);
    EXPECT_EQ(&KindOf(probe.spec), &kind);
    EXPECT_EQ(ProbeTypeName(probe.spec), kind.config.type);

    std::unique_ptr<Probe> made = MakeProbe(probe);
    ASSERT_NE(made, nullptr);
    const ProbeResult result = made->Attempt(Clock::now() + probe.timeout);
    if (kind.config.yields_roles) {
      EXPECT_TRUE(result.roles.contains("writer"));
      EXPECT_TRUE(result.roles.contains("reader"));
    } else {
      EXPECT_TRUE(result.roles.empty());
      // conf/ knows it too: a role over this kind alone is a config error.
      conf::LoadResult with_role = testing::LoadKindSample(kind, "writer");
      ASSERT_FALSE(with_role.ok());
      EXPECT_THAT(with_role.ErrorLines().front(), HasSubstr("role \"writer\" needs a"));
      // [pair] gates a writer service, which needs roles.
      EXPECT_EQ(kind.config.pair_server, nullptr);
    }
  }
}

// The [pair] column: conf/ accepts a kind's probe as the pair's exactly when
// the row gives a pair_server, and that is the server the spec names.
TEST(ProbeKinds, PairColumnDecidesWhatThePairMayRead) {
  for (const ProbeKind& kind : ProbeKinds()) {
    if (!kind.config.yields_roles) continue;
    SCOPED_TRACE(std::string(kind.config.type));
    // The pair's service needs a vip (a switchover waits for its clients).
    conf::LoadResult loaded = conf::LoadConfigString(
        "[vip]\naddresses = [\"127.0.0.3\"]\n" + *testing::KindSampleConfig(kind, "writer") +
            "vip = \"127.0.0.3\"\n[pair]\nservice = \"s\"\n"
            "peer_mysql = \"127.0.0.2:3306\"\npeer_agent = \"127.0.0.2:9480\"\n",
        "sample.toml", ProbeKindReaders());
    if (kind.config.pair_server == nullptr) {
      ASSERT_FALSE(loaded.ok());
      EXPECT_THAT(loaded.ErrorLines().front(), HasSubstr("has no mysql probe"));
      continue;
    }
    ASSERT_TRUE(loaded.ok()) << loaded.ErrorLines().front();
    EXPECT_EQ(loaded.config().pair->probe, "p");
    const conf::MysqlServer server = kind.config.pair_server(loaded.config().probes.at(0).spec);
    EXPECT_EQ(server.socket, "/nonexistent/rsagent-test/mysqld.sock");
    EXPECT_FALSE(server.address.has_value());
  }
}

// The listener column: conf/ knows `watch_listener` exactly for the kinds
// whose row says their target is a local listener, and those report it
// (the sample's 127.0.0.1:1) for event-driven DOWN; other kinds watch nothing.
TEST(ProbeKinds, ListenerColumnDecidesWatchListenerAndWhatIsWatched) {
  for (const ProbeKind& kind : ProbeKinds()) {
    SCOPED_TRACE(std::string(kind.config.type));
    EXPECT_EQ(kind.listeners != nullptr, kind.config.watches_listener);
    conf::LoadResult loaded = conf::LoadConfigString(
        "[probe.p]\ntype = \"" + std::string(kind.config.type) + "\"\n" +
            std::string(testing::KindSamples().at(kind.config.type)) +
            "\nwatch_listener = true\n[service.s]\nport = 1\nprobes = [\"p\"]\n",
        "t.toml", ProbeKindReaders());
    if (!kind.config.watches_listener) {
      ASSERT_FALSE(loaded.ok());
      EXPECT_THAT(loaded.ErrorLines().front(), HasSubstr("probe.p.watch_listener: unknown key"));
      EXPECT_TRUE(WatchedListeners(testing::LoadKindSample(kind).config().probes.at(0)).empty());
      continue;
    }
    ASSERT_TRUE(loaded.ok()) << loaded.ErrorLines().front();
    const std::vector<Endpoint> watched = WatchedListeners(loaded.config().probes.at(0));
    ASSERT_EQ(watched.size(), 1u);
    EXPECT_EQ(watched[0].ToString(), "127.0.0.1:1");
  }
}

TEST(ProbeKinds, NamesAreUniqueAndEveryMessageListsThem) {
  std::set<std::string_view> names;
  std::string listed;
  for (const ProbeKind& kind : ProbeKinds()) {
    EXPECT_TRUE(names.insert(kind.config.type).second) << kind.config.type;
    listed += (listed.empty() ? "" : ", ") + std::string(kind.config.type);
  }
  conf::LoadResult loaded = conf::LoadConfigString(
      "[probe.p]\ntype = \"ping\"\n[service.s]\nport = 1\nprobes = [\"p\"]\n", "t.toml",
      ProbeKindReaders());
  ASSERT_FALSE(loaded.ok());
  EXPECT_THAT(loaded.ErrorLines().front(), HasSubstr("(one of " + listed + ")"));
}

TEST(ProbeKinds, ReadersReportIntoTheLoaderWithPositions) {
  for (const ProbeKind& kind : ProbeKinds()) {
    SCOPED_TRACE(std::string(kind.config.type));
    // No kind takes a key named like this; each reader leaves it unknown.
    conf::LoadResult loaded =
        conf::LoadConfigString("[probe.p]\ntype = \"" + std::string(kind.config.type) + "\"\n" +
                                   std::string(testing::KindSamples().at(kind.config.type)) +
                                   "\nno_such_key = 1\n[service.s]\nport = 1\nprobes = [\"p\"]\n",
                               "t.toml", ProbeKindReaders());
    ASSERT_FALSE(loaded.ok());
    EXPECT_THAT(loaded.ErrorLines().front(),
                HasSubstr("probe.p.no_such_key: unknown key for type = \"" +
                          std::string(kind.config.type) + "\""));
  }
}

TEST(ProbeKinds, ShellCommandRunsThroughShWithPipelines) {
  conf::ProbeConfig config{.name = "p",
                           .spec = ExecProbeSpec{{"echo hello probe | tr a-z A-Z"}, true}};
  ProbeResult result = MakeProbe(config)->Attempt(Clock::now() + std::chrono::seconds(5));
  EXPECT_TRUE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "HELLO PROBE");
}

TEST(ProbeKinds, WhatAProbeReportsComesOutSafe) {
  // Issue 12: "x" + 150 "ü" cut inside a character, control characters, Latin-1.
  conf::ProbeConfig config{
      .name = "p",
      .spec = ExecProbeSpec{{"printf 'x'; for i in $(seq 150); do printf '\\303\\274'; done; "
                             "printf ' \\033[2J\\a\\r\\374 end\\n'; exit 1"},
                            true}};
  ProbeResult result = MakeProbe(config)->Attempt(Clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_TRUE(result.outcome.reason.starts_with("exit 1: x\xC3\xBC")) << result.outcome.reason;
  EXPECT_TRUE(IsSafeText(result.outcome.reason)) << result.outcome.reason;
  EXPECT_LE(result.outcome.reason.size(), kSafeTextMaxBytes);
}

TEST(ProbeKindsDeathTest, SpecOfNoKindAbortsWithAMessage) {
  struct Unknown {
    bool operator==(const Unknown&) const = default;
  };
  EXPECT_DEATH(KindOf(conf::ProbeSpec(Unknown{})), "a probe spec of no kind");
}

}  // namespace
}  // namespace rsagent::probes
