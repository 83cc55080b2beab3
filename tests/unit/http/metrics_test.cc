#include "http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <sstream>

namespace rsagent::agent {
namespace {

Snapshot MakeSnapshot() {
  Snapshot s;
  s.started = WallTime(std::chrono::seconds(1700000000));
  s.taken = s.started + std::chrono::seconds(5);
  ServiceView web{.name = "web", .up = true};
  web.connections = 7;
  web.weight = {.percent = 50, .absolute = 5};
  ServiceView db{.name = "db", .up = false, .reason = "probe m: \"x\""};
  db.admin.state = AdminState::kDrain;
  s.services = {web, db};
  ProbeView p{.name = "nginx", .type = "http"};
  p.verdicts = {VerdictView{.role = "", .up = true, .transitions = 3}};
  p.has_result = true;
  p.last.outcome = {true, ""};
  p.last.latency = std::chrono::microseconds(1500);
  p.last.samples = {{"rsagent_mysql_up", {{"channel", "a\"b"}}, 1},
                    {"rsagent_mysql_up", {{"channel", "c"}}, 0}};
  p.durations.Observe(0.0015);
  p.durations.Observe(0.3);
  p.timeout = std::chrono::milliseconds(500);
  p.last_at = s.taken;
  p.attempts = 10;
  p.failures = 2;
  s.probes = {p};
  s.dr.vips = {{.address = *IpAddress::Parse("192.168.1.100"), .present = true, .heals = 4}};
  s.dr.arp = {{.interface = "all", .arp_ignore = 1, .arp_announce = 2, .effective = true}};
  s.dr.arp_ok = true;
  return s;
}

TEST(MetricsTest, ContainsTheDocumentedSeries) {
  const std::string text = RenderMetrics(MakeSnapshot(), "1.2.3");
  for (const char* line : {
           "rsagent_build_info{version=\"1.2.3\"} 1\n",
           "rsagent_service_up{service=\"web\"} 1\n",
           "rsagent_service_up{service=\"db\"} 0\n",
           "rsagent_service_admin_state{service=\"db\",state=\"drain\"} 1\n",
           "rsagent_probe_up{probe=\"nginx\",type=\"http\"} 1\n",
           "rsagent_probe_transitions_total{probe=\"nginx\",type=\"http\"} 3\n",
           "rsagent_probe_duration_seconds_bucket{probe=\"nginx\",type=\"http\",le=\"0.001\"} 0\n",
           "rsagent_probe_duration_seconds_bucket{probe=\"nginx\",type=\"http\",le=\"0.0025\"} 1\n",
           "rsagent_probe_duration_seconds_bucket{probe=\"nginx\",type=\"http\",le=\"0.3\"} 2\n",
           "rsagent_probe_duration_seconds_bucket{probe=\"nginx\",type=\"http\",le=\"+Inf\"} 2\n",
           "rsagent_probe_duration_seconds_sum{probe=\"nginx\",type=\"http\"} 0.3015\n",
           "rsagent_probe_duration_seconds_count{probe=\"nginx\",type=\"http\"} 2\n",
           "rsagent_probe_timeout_seconds{probe=\"nginx\",type=\"http\"} 0.5\n",
           "rsagent_probe_last_attempt_timestamp_seconds{probe=\"nginx\",type=\"http\"} "
           "1700000005\n",
           "rsagent_service_state_change_timestamp_seconds{service=\"web\"} 0\n",
           "rsagent_service_down_cause{service=\"web\",cause=\"probe\"} 0\n",
           "rsagent_service_info{service=\"web\",role=\"none\",vip=\"\",port=\"0\"} 1\n",
           "rsagent_start_timestamp_seconds 1.7e+09\n",
           "rsagent_service_connections{service=\"web\"} 7\n",
           "rsagent_service_weight{service=\"web\"} 5\n",
           "rsagent_service_weight{service=\"db\"} 0\n",
           "rsagent_service_weight_percent{service=\"web\"} 50\n",
           "rsagent_probe_failures_total{probe=\"nginx\",type=\"http\"} 2\n",
           "rsagent_mysql_up{probe=\"nginx\",type=\"http\",channel=\"a\\\"b\"} 1\n",
           "rsagent_vip_present{vip=\"192.168.1.100\"} 1\n",
           "rsagent_vip_heals_total{vip=\"192.168.1.100\"} 4\n",
           "rsagent_arp_ignore{interface=\"all\"} 1\n",
           "rsagent_arp_suppression_effective 1\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in\n" << text;
  }
}

// Every line is a comment or a well-formed sample, every family has exactly
// one HELP and TYPE, and its samples are contiguous.
TEST(MetricsTest, IsValidExpositionFormat) {
  const std::string text = RenderMetrics(MakeSnapshot(), "1.2.3");
  const std::regex sample(
      R"re(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?[0-9.e+-]+$)re");
  const std::regex help(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  std::set<std::string> seen_type, closed;
  std::string current;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      if (m[1] == "TYPE") {
        EXPECT_TRUE(seen_type.insert(m[2]).second) << "TYPE twice for " << m[2];
        if (!current.empty()) closed.insert(current);
        current = m[2];
      }
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "bad line: " << line;
    const std::string name = m[1];
    const bool in_family = name == current || name == current + "_bucket" ||
                           name == current + "_sum" || name == current + "_count";
    EXPECT_TRUE(in_family) << "sample outside its family: " << line;
    EXPECT_FALSE(closed.count(current)) << "family not contiguous: " << line;
  }
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(MetricsTest, NumbersAreShortestRoundTrip) {
  EXPECT_EQ(FormatValue(0.000366), "0.000366");
  EXPECT_EQ(FormatValue(1700000000.123), "1700000000.123");
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatValue(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(MetricsTest, ProcessSeriesWhenGiven) {
  const std::string text = RenderMetrics(
      MakeSnapshot(), "1", ProcessStats{.cpu_seconds = 1.5, .resident_bytes = 4096, .open_fds = 7});
  EXPECT_NE(text.find("process_cpu_seconds_total 1.5\n"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes 4096\n"), std::string::npos);
  EXPECT_NE(text.find("process_open_fds 7\n"), std::string::npos);
  EXPECT_EQ(RenderMetrics(MakeSnapshot(), "1").find("process_"), std::string::npos);
}

TEST(MetricsTest, NothingNamedAfterAnotherExporter) {
  const std::string text = RenderMetrics(MakeSnapshot(), "1", ReadProcessStats());
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) continue;
    EXPECT_TRUE(line.starts_with("rsagent_") || line.starts_with("process_")) << line;
  }
}

}  // namespace
}  // namespace rsagent::agent

namespace rsagent::agent {
namespace {

TEST(MetricsTest, ThePairsRoleTermAndPeer) {
  Snapshot s = MakeSnapshot();
  s.pair = pair::WriterReport{.service = "db-writer",
                              .role = pair::WriterRole::kWriter,
                              .term = 4,
                              .writer_term = 4,
                              .eligible = false};
  s.pair_peer = {.agent_reachable = true, .mysql_reachable = false};
  const std::string text = RenderMetrics(s, "1.2.3");
  for (const char* line : {
           "rsagent_mysql_writer_role{service=\"db-writer\",role=\"writer\"} 1\n",
           "rsagent_mysql_writer_role{service=\"db-writer\",role=\"standby\"} 0\n",
           "rsagent_mysql_writer_term{service=\"db-writer\"} 4\n",
           "rsagent_mysql_writer_eligible{service=\"db-writer\"} 0\n",
           "rsagent_mysql_pair_peer_reachable{service=\"db-writer\",via=\"agent\"} 1\n",
           "rsagent_mysql_pair_peer_reachable{service=\"db-writer\",via=\"mysql\"} 0\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "in\n" << text;
  }
  EXPECT_EQ(RenderMetrics(MakeSnapshot(), "1").find("rsagent_mysql_writer"), std::string::npos);
}

TEST(MetricsTest, SecondChanceCountersPerPeer) {
  Snapshot s = MakeSnapshot();
  s.second_chance = SecondChanceView{.interface = "eth0"};
  s.second_chance->peers.push_back(SecondChancePeerView{
      .name = "D", .agent = "192.168.1.11:9480", .services = {{"web", true}}, .packets = 42, .flows = 7});
  const std::string text = RenderMetrics(s, "1.2.3");
  for (const char* line : {"rsagent_second_chance_packets_total{peer=\"D\"} 42\n",
                           "rsagent_second_chance_connections_total{peer=\"D\"} 7\n",
                           "rsagent_peer_up{peer=\"D\",service=\"web\"} 1\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
  EXPECT_EQ(RenderMetrics(MakeSnapshot(), "1.2.3").find("second_chance"), std::string::npos);
}

}  // namespace
}  // namespace rsagent::agent
