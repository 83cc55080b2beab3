#include "probes/probe_factory.h"

#include <gtest/gtest.h>

#include "common/safe_text.h"

#include "probes/exec_probe.h"
#include "probes/http_probe.h"
#include "probes/safe_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::probes {
namespace {

conf::ProbeConfig Config(conf::ProbeSpec spec) {
  conf::ProbeConfig config;
  config.name = "p";
  config.spec = std::move(spec);
  return config;
}

// The kind MakeProbe built, under the SafeProbe every probe is wrapped in.
template <typename Kind>
const Kind* KindOf(const std::unique_ptr<Probe>& probe) {
  const auto* safe = dynamic_cast<const SafeProbe*>(probe.get());
  return safe ? dynamic_cast<const Kind*>(&safe->inner()) : nullptr;
}

TEST(MakeProbe, BuildsEachKind) {
  auto tcp = MakeProbe(Config(conf::TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80")}}));
  ASSERT_TRUE(tcp.ok()) << tcp.error();
  EXPECT_NE(KindOf<TcpProbe>(*tcp), nullptr);

  conf::HttpProbeSpec http_spec;
  http_spec.url = "http://127.0.0.1/";
  auto http = MakeProbe(Config(http_spec));
  ASSERT_TRUE(http.ok()) << http.error();
  EXPECT_NE(KindOf<HttpProbe>(*http), nullptr);

  auto exec = MakeProbe(Config(conf::ExecProbeSpec{{"/bin/true"}, false}));
  ASSERT_TRUE(exec.ok()) << exec.error();
  EXPECT_TRUE((*exec)->Check(Clock::now() + std::chrono::seconds(5)).outcome.ok);
}

TEST(MakeProbe, ShellCommandRunsThroughShWithPipelines) {
  auto probe = MakeProbe(Config(conf::ExecProbeSpec{{"echo hello probe | tr a-z A-Z"}, true}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  ProbeResult result = (*probe)->Check(Clock::now() + std::chrono::seconds(5));
  EXPECT_TRUE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "HELLO PROBE");
}

TEST(MakeProbe, WhatAProbeReportsComesOutSafe) {
  // Issue 12: "x" + 150 "ü" cut inside a character, control characters, Latin-1.
  auto probe = MakeProbe(Config(conf::ExecProbeSpec{
      {"printf 'x'; for i in $(seq 150); do printf '\\303\\274'; done; "
       "printf ' \\033[2J\\a\\r\\374 end\\n'; exit 1"},
      true}));
  ASSERT_TRUE(probe.ok()) << probe.error();
  ProbeResult result = (*probe)->Check(Clock::now() + std::chrono::seconds(5));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_TRUE(result.outcome.reason.starts_with("exit 1: x\xC3\xBC")) << result.outcome.reason;
  EXPECT_TRUE(IsSafeText(result.outcome.reason)) << result.outcome.reason;
  EXPECT_LE(result.outcome.reason.size(), kSafeTextMaxBytes);
}

TEST(MakeProbe, RejectsSpecsItCannotRunNamingTheProbe) {
  EXPECT_EQ(MakeProbe(Config(conf::TcpProbeSpec{})).error(), "probe p: tcp probe needs at least one target");
  EXPECT_EQ(MakeProbe(Config(conf::ExecProbeSpec{})).error(), "probe p: exec probe needs a command");
  EXPECT_EQ(MakeProbe(Config(conf::ExecProbeSpec{{"a", "b"}, true})).error(),
            "probe p: exec probe with shell = true takes one command string");
  conf::HttpProbeSpec bad_url;
  bad_url.url = "http://example.com/";
  auto http = MakeProbe(Config(bad_url));
  ASSERT_FALSE(http.ok());
  EXPECT_TRUE(http.error().starts_with("probe p: ")) << http.error();
}

}  // namespace
}  // namespace rsagent::probes
