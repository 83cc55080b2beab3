#include "probes/probe_factory.h"

#include <gtest/gtest.h>

#include "probes/exec_probe.h"
#include "probes/http_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::probes {
namespace {

conf::ProbeConfig Config(conf::ProbeSpec spec) {
  conf::ProbeConfig config;
  config.name = "p";
  config.spec = std::move(spec);
  return config;
}

TEST(MakeProbe, BuildsEachKind) {
  auto tcp = MakeProbe(Config(conf::TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80")}}));
  ASSERT_TRUE(tcp.ok()) << tcp.error();
  EXPECT_NE(dynamic_cast<TcpProbe*>(tcp->get()), nullptr);

  conf::HttpProbeSpec http_spec;
  http_spec.url = "http://127.0.0.1/";
  auto http = MakeProbe(Config(http_spec));
  ASSERT_TRUE(http.ok()) << http.error();
  EXPECT_NE(dynamic_cast<HttpProbe*>(http->get()), nullptr);

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
