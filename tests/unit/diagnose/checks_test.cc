#include <gtest/gtest.h>

#include "diagnose/check.h"
#include "probes/probe_kinds.h"
#include "tests/unit/diagnose/fake_host.h"
#include "tests/unit/probes/kind_samples.h"

namespace rsagent::agent::diagnose {
namespace {

const char* kWebNode = R"(
[vip]
addresses = ["192.168.1.100"]
[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
[service.web]
vip = "192.168.1.100"
port = 80
probes = ["nginx"]
)";

const char* kDbNode = R"(
[vip]
addresses = ["192.168.1.101"]
[probe.mysql]
type = "mysql"
socket = "/run/mysqld/mysqld.sock"
[service.db-writer]
vip = "192.168.1.101"
port = 3306
probes = ["mysql"]
role = "writer"
)";

// lo (1) and eth0 (2), eth0 with the real IP.
FakeHost WebHost() {
  FakeHost host;
  host.kernel.links = {{1, "lo", true}, {2, "eth0", false}};
  host.kernel.addresses = {{2, *IpAddress::Parse("192.168.1.21"), 24, false}};
  host.sysctls = {{"all/arp_ignore", 1},    {"all/arp_announce", 2}, {"eth0/arp_ignore", 0},
                  {"eth0/arp_announce", 0}, {"all/rp_filter", 0},    {"eth0/rp_filter", 1}};
  return host;
}

std::vector<Finding> RunCheck(std::unique_ptr<Check> check, const conf::Config& config,
                              Host& host) {
  return check->Run(config, host);
}

TEST(VipCheck, HostPrefixOnLoPasses) {
  FakeHost host = WebHost();
  host.kernel.addresses.push_back({1, *IpAddress::Parse("192.168.1.100"), 32, false});
  auto f = RunCheck(MakeVipCheck(), Load(kWebNode), host);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kPass);
}

TEST(VipCheck, Slash24IsFailWithTheExactFix) {
  FakeHost host = WebHost();
  host.kernel.addresses.push_back({1, *IpAddress::Parse("192.168.1.100"), 24, false});
  auto f = RunCheck(MakeVipCheck(), Load(kWebNode), host);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_EQ(f[0].fix, "ip addr del 192.168.1.100/24 dev lo && ip addr add 192.168.1.100/32 dev lo");
}

TEST(VipCheck, MissingOrOnARealInterfaceFails) {
  FakeHost host = WebHost();
  auto missing = RunCheck(MakeVipCheck(), Load(kWebNode), host);
  EXPECT_EQ(missing[0].verdict, Verdict::kFail);
  EXPECT_NE(missing[0].fix.find("rsagent vip up"), std::string::npos);
  host.kernel.addresses.push_back({2, *IpAddress::Parse("192.168.1.100"), 32, false});
  auto on_eth0 = RunCheck(MakeVipCheck(), Load(kWebNode), host);
  EXPECT_EQ(on_eth0[0].verdict, Verdict::kFail);
  EXPECT_NE(on_eth0[0].message.find("steal"), std::string::npos);
}

TEST(ArpCheck, UsesTheMaximumOfAllAndTheInterface) {
  FakeHost host = WebHost();  // all=1/2, eth0=0/0 -> effective 1/2
  auto f = RunCheck(MakeArpCheck(), Load(kWebNode), host);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kPass) << f[0].message;
  host.sysctls["all/arp_announce"] = 0;
  f = RunCheck(MakeArpCheck(), Load(kWebNode), host);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].fix.find("sysctl -w net.ipv4.conf.all.arp_ignore=1 "
                          "net.ipv4.conf.all.arp_announce=2"),
            std::string::npos);
}

TEST(RpFilterCheck, StrictIsFailOnlyWhenMultiHomed) {
  FakeHost host = WebHost();
  auto single = RunCheck(MakeRpFilterCheck(), Load(kWebNode), host);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].verdict, Verdict::kPass);
  host.kernel.links.push_back({3, "eth1", false});
  host.sysctls["eth1/rp_filter"] = 2;
  auto multi = RunCheck(MakeRpFilterCheck(), Load(kWebNode), host);
  ASSERT_EQ(multi.size(), 2u);
  EXPECT_EQ(multi[0].verdict, Verdict::kFail);
  EXPECT_EQ(multi[0].fix, "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.eth0.rp_filter=2");
  EXPECT_EQ(multi[1].verdict, Verdict::kPass);
}

TEST(ListenerCheck, WildcardOrVipPassesRealIpOnlyFails) {
  FakeHost host = WebHost();
  const auto config = Load(kWebNode);
  host.listeners = {Listening("0.0.0.0", 80)};
  EXPECT_EQ(RunCheck(MakeListenerCheck(), config, host)[0].verdict, Verdict::kPass);
  host.listeners = {Listening("::", 80)};
  EXPECT_EQ(RunCheck(MakeListenerCheck(), config, host)[0].verdict, Verdict::kPass);
  host.listeners = {Listening("192.168.1.100", 80)};
  EXPECT_EQ(RunCheck(MakeListenerCheck(), config, host)[0].verdict, Verdict::kPass);
  host.listeners = {Listening("192.168.1.21", 80), Listening("0.0.0.0", 8080)};
  auto f = RunCheck(MakeListenerCheck(), config, host);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].message.find("real IP only"), std::string::npos) << f[0].message;
  host.listeners = {};
  EXPECT_EQ(RunCheck(MakeListenerCheck(), config, host)[0].verdict, Verdict::kFail);
}

TEST(MysqlBindCheck, LoopbackBindAddressFails) {
  FakeHost host;
  host.mysql_variables = std::map<std::string, std::string>{{"bind_address", "127.0.0.1"}};
  auto f = RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].fix.find("bind-address = 0.0.0.0"), std::string::npos);
  host.mysql_variables = std::map<std::string, std::string>{{"bind_address", "0.0.0.0"}};
  EXPECT_EQ(RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host)[0].verdict, Verdict::kPass);
}

TEST(MysqlBindCheck, FixNamesTheInstalledServersFile) {
  FakeHost host;
  host.mysql_variables = std::map<std::string, std::string>{
      {"bind_address", "127.0.0.1"}, {"version", "10.11.19-MariaDB-0+deb12u1"}};
  auto f = RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host);
  EXPECT_NE(f[0].fix.find("/etc/mysql/mariadb.conf.d/50-server.cnf"), std::string::npos) << f[0].fix;
  EXPECT_EQ(f[0].fix.find("mysqld.cnf"), std::string::npos) << f[0].fix;
  host.mysql_variables = std::map<std::string, std::string>{{"bind_address", "127.0.0.1"},
                                                            {"version", "9.7.4-2"}};
  f = RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host);
  EXPECT_NE(f[0].fix.find("MySQL 9.7.4-2 on Debian: /etc/mysql/mysql.conf.d/mysqld.cnf"),
            std::string::npos)
      << f[0].fix;
  EXPECT_EQ(f[0].fix.find("50-server.cnf"), std::string::npos) << f[0].fix;
}

TEST(MysqlBindCheck, WithoutTheVariableTheListenerDecides) {
  FakeHost host;  // MysqlVariables fails
  host.listeners = {Listening("127.0.0.1", 3306)};
  auto f = RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  host.listeners = {Listening("0.0.0.0", 3306)};
  EXPECT_EQ(RunCheck(MakeMysqlBindCheck(), Load(kDbNode), host)[0].verdict, Verdict::kWarn);
}

// Every kind that yields roles (probes/probe_kinds.cc) is judged for a
// service with a role, from the probe's role verdict.
TEST(MysqlRoleCheck, JudgesEveryKindThatYieldsRoles) {
  for (const probes::ProbeKind& kind : probes::ProbeKinds()) {
    if (!kind.config.yields_roles) continue;
    SCOPED_TRACE(std::string(kind.config.type));
    conf::LoadResult loaded = probes::testing::LoadKindSample(kind, "reader");
    ASSERT_TRUE(loaded.ok()) << loaded.ErrorLines().front();
    FakeHost host;
    host.probe_result.roles["reader"] = {false, "lag 12s > max_lag 5s"};
    auto f = RunCheck(MakeMysqlRoleCheck(), loaded.config(), host);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].verdict, Verdict::kFail);
    EXPECT_EQ(f[0].message, "s as reader: lag 12s > max_lag 5s");
  }
}

TEST(MysqlRoleCheck, JudgesTheConfiguredRole) {
  FakeHost host;
  host.probe_result.roles["writer"] = {false, "read_only is ON"};
  auto f = RunCheck(MakeMysqlRoleCheck(), Load(kDbNode), host);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].fix.find("SET GLOBAL read_only=OFF"), std::string::npos);
  host.probe_result.roles["writer"] = {true, "writable"};
  host.probe_result.details["semi_sync"] = "fell back to async (3 commits without ack)";
  f = RunCheck(MakeMysqlRoleCheck(), Load(kDbNode), host);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].verdict, Verdict::kPass);
  EXPECT_EQ(f[1].verdict, Verdict::kWarn);
}

TEST(AutoIncrementCheck, MasterMasterNeedsInterleavedKeys) {
  FakeHost host;
  host.mysql_variables = std::map<std::string, std::string>{{"auto_increment_increment", "1"},
                                                            {"auto_increment_offset", "1"}};
  EXPECT_EQ(RunCheck(MakeAutoIncrementCheck(), Load(kDbNode), host)[0].verdict, Verdict::kFail);
  host.mysql_variables = std::map<std::string, std::string>{{"auto_increment_increment", "2"},
                                                            {"auto_increment_offset", "3"}};
  EXPECT_EQ(RunCheck(MakeAutoIncrementCheck(), Load(kDbNode), host)[0].verdict, Verdict::kFail);
  host.mysql_variables = std::map<std::string, std::string>{{"auto_increment_increment", "2"},
                                                            {"auto_increment_offset", "2"}};
  EXPECT_EQ(RunCheck(MakeAutoIncrementCheck(), Load(kDbNode), host)[0].verdict, Verdict::kPass);
}

TEST(HealthPortCheck, LoopbackListenIsUnreachableForDirectors) {
  FakeHost host;
  auto config = Load(std::string("[agent]\nlisten = \"127.0.0.1:9480\"\n") + kWebNode);
  EXPECT_EQ(RunCheck(MakeHealthPortCheck(), config, host)[0].verdict, Verdict::kFail);
  config = Load(kWebNode);  // 0.0.0.0:9480
  EXPECT_EQ(RunCheck(MakeHealthPortCheck(), config, host)[0].verdict,
            Verdict::kFail);  // not listening
  host.listeners = {Listening("0.0.0.0", 9480)};
  EXPECT_EQ(RunCheck(MakeHealthPortCheck(), config, host)[0].verdict, Verdict::kPass);
}

TEST(AgentCheck, NotRunningFailsWithHowToStart) {
  FakeHost host;
  auto f = RunCheck(MakeAgentCheck(), Load(kWebNode), host);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
  EXPECT_NE(f[0].fix.find("rsagent run -c test.toml"), std::string::npos);
  host.agent_status = nlohmann::json{{"services", {{{"up", true}}}}};
  f = RunCheck(MakeAgentCheck(), Load(kWebNode), host);
  EXPECT_EQ(f[0].verdict, Verdict::kPass);
  EXPECT_NE(f[0].message.find("1/1 services UP"), std::string::npos);
}

}  // namespace
}  // namespace rsagent::agent::diagnose
