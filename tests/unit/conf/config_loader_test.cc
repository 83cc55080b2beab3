#include "conf/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "probes/exec_probe.h"
#include "probes/galera_probe.h"
#include "probes/group_replication_probe.h"
#include "probes/http_probe.h"
#include "probes/mysql_probe.h"
#include "probes/probe_kinds.h"
#include "probes/tcp_probe.h"

namespace rsagent::conf {
namespace {

using probes::ExecProbeSpec;
using probes::GaleraProbeSpec;
using probes::GroupReplicationProbeSpec;
using probes::HttpProbeSpec;
using probes::MysqlProbeSpec;
using probes::TcpProbeSpec;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Every error of a config that must not load, as the user sees them.
std::vector<std::string> Errors(std::string_view text) {
  LoadResult result = LoadConfigString(text, "t.toml", probes::ProbeKindReaders());
  if (result.ok()) return {"<loaded without errors>"};
  return result.ErrorLines();
}

// A config that must load; errors become the test's failure message.
Config Load(std::string_view text, const std::string& name = "t.toml") {
  LoadResult result = LoadConfigString(text, name, probes::ProbeKindReaders());
  if (!result.ok()) {
    std::string all;
    for (const std::string& line : result.ErrorLines()) all += line + "\n";
    ADD_FAILURE() << "config did not load:\n" << all;
    return {};
  }
  return std::move(result).config();
}

// The smallest valid config, for tests that add one mistake to it.
constexpr std::string_view kMinimal = R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.s]
port = 80
probes = ["p"]
)";

std::string WithMinimal(std::string_view extra) {
  return std::string(kMinimal) + "\n" + std::string(extra);
}

TEST(LoadConfig, MinimalConfigGetsTheModelDefaults) {
  const Config config = Load(kMinimal);
  EXPECT_EQ(config.source, "t.toml");
  EXPECT_EQ(config.agent.listen.ToString(), AgentConfig{}.listen.ToString());
  EXPECT_EQ(config.agent.http_threads, AgentConfig{}.http_threads);
  EXPECT_EQ(config.vip.device, "lo");
  EXPECT_THAT(config.vip.addresses, IsEmpty());
  ASSERT_EQ(config.probes.size(), 1u);
  ProbeConfig expected;
  expected.name = "p";
  expected.spec = TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80")}};
  EXPECT_EQ(config.probes[0], expected);
  ASSERT_EQ(config.services.size(), 1u);
  EXPECT_EQ(config.services[0].port, 80);
  EXPECT_EQ(config.services[0].role, Role::kNone);
  EXPECT_FALSE(config.services[0].vip.has_value());
}

TEST(LoadConfig, ReadsEveryKey) {
  const Config config = Load(R"(
[agent]
listen = "127.0.0.1:9999"
allow = ["10.0.0.0/8", "::1/128"]
state_dir = "/tmp/state"
control_socket = "/tmp/c.sock"
shutdown_grace = "2s"
http_threads = 8
log_level = "debug"

[vip]
addresses = ["192.168.1.100", "2001:db8::1"]
device = "dummy0"
manage = false
arp_ignore = 8
arp_announce = 1
arp_interfaces = ["eth0", "eth1"]
remove_on_stop = true

[probe.web]
type = "http"
url = "https://[::1]:8443/health"
interval = "2s"
timeout = "1.5s"
rise = 3
fall = 4
expect_status = [204, "300-302"]
expect_body = "OK"
host = "www.example.com"
tls_verify = true

[probe.script]
type = "exec"
command = "test -f /tmp/x"
shell = true

[probe.argv]
type = "exec"
command = ["/bin/true", "--flag"]

[probe.db]
type = "mysql"
address = "127.0.0.1:3306"
credentials = "/etc/rsagent/mysql.cnf"
max_lag = "10s"
heartbeat_table = "percona.heartbeat"
semi_sync_fatal = true
replication_required = true

[service.db-writer]
vip = "2001:db8::1"
port = 3306
probes = ["db", "script"]
role = "writer"

[service.web]
port = 443
probes = ["web", "argv"]
)");
  EXPECT_EQ(config.agent.listen.ToString(), "127.0.0.1:9999");
  ASSERT_EQ(config.agent.allow.size(), 2u);
  EXPECT_EQ(config.agent.allow[0].ToString(), "10.0.0.0/8");
  EXPECT_EQ(config.agent.state_dir, "/tmp/state");
  EXPECT_EQ(config.agent.control_socket, "/tmp/c.sock");
  EXPECT_EQ(config.agent.shutdown_grace, milliseconds(2000));
  EXPECT_EQ(config.agent.http_threads, 8);
  EXPECT_EQ(config.agent.log_level, "debug");

  ASSERT_EQ(config.vip.addresses.size(), 2u);
  EXPECT_EQ(config.vip.addresses[1].ToString(), "2001:db8::1");
  EXPECT_EQ(config.vip.device, "dummy0");
  EXPECT_FALSE(config.vip.manage);
  EXPECT_EQ(config.vip.arp_ignore, 8);
  EXPECT_EQ(config.vip.arp_announce, 1);
  EXPECT_THAT(config.vip.arp_interfaces, ElementsAre("eth0", "eth1"));
  EXPECT_TRUE(config.vip.remove_on_stop);

  // File order, not toml++'s sorted order.
  ASSERT_EQ(config.probes.size(), 4u);
  EXPECT_EQ(config.probes[0].name, "web");
  EXPECT_EQ(config.probes[3].name, "db");
  const ProbeConfig& web = config.probes[0];
  EXPECT_EQ(web.interval, milliseconds(2000));
  EXPECT_EQ(web.timeout, milliseconds(1500));
  EXPECT_EQ(web.rise, 3);
  EXPECT_EQ(web.fall, 4);
  EXPECT_EQ(
      *web.spec.As<probes::HttpProbeSpec>(),
      (HttpProbeSpec{
          "https://[::1]:8443/health", {{204, 204}, {300, 302}}, "OK", "www.example.com", true}));
  EXPECT_EQ(*config.FindProbe("script")->spec.As<probes::ExecProbeSpec>(),
            (ExecProbeSpec{{"test -f /tmp/x"}, true}));
  EXPECT_EQ(*config.FindProbe("argv")->spec.As<probes::ExecProbeSpec>(),
            (ExecProbeSpec{{"/bin/true", "--flag"}, false}));
  EXPECT_EQ(*config.FindProbe("db")->spec.As<probes::MysqlProbeSpec>(),
            (MysqlProbeSpec{"", *Endpoint::Parse("127.0.0.1:3306"), "/etc/rsagent/mysql.cnf",
                            milliseconds(10'000), "percona.heartbeat", true, true}));

  ASSERT_EQ(config.services.size(), 2u);
  const ServiceConfig* writer = config.FindService("db-writer");
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->vip, IpAddress::Parse("2001:db8::1").value());
  EXPECT_EQ(writer->port, 3306);
  EXPECT_THAT(writer->probes, ElementsAre("db", "script"));
  EXPECT_EQ(writer->role, Role::kWriter);
  EXPECT_EQ(config.FindService("nope"), nullptr);
  EXPECT_EQ(config.services[1].name, "web");
}

TEST(LoadConfig, MalformedTomlIsOneErrorAtItsPosition) {
  EXPECT_THAT(Errors("[probe.p]\ntype = \"tcp\"\nrise = \n"),
              ElementsAre("t.toml:3:8: invalid TOML in key-value pair: expected value, saw '\\n'"));
}

TEST(LoadConfig, DuplicateTableNameSaysNamesMustBeUnique) {
  EXPECT_THAT(
      Errors(WithMinimal("[probe.p]\ntype = \"tcp\"\n")),
      ElementsAre(
          "t.toml:9:1: invalid TOML in table header: cannot redefine existing table 'probe.p' "
          "(every table and key may be defined once; probe and service names "
          "must be unique)"));
}

// The error about an unknown key, or "".
std::string UnknownKeyError(const std::vector<std::string>& errors) {
  for (const std::string& error : errors) {
    if (error.find("unknown key") != std::string::npos) return error;
  }
  return "";
}

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(LoadConfig, MegabyteUnknownKeyIsCheapAndQuotedShort) {
  // Issue 12: this peaked at 158 MB (a full edit-distance table per known
  // key) and the error quoted the whole megabyte.
  const std::string text = "[agent]\n" + std::string(1'000'000, 'x') + " = 1\n";
  const long before = PeakRssKb();
  const std::vector<std::string> errors = Errors(text);
  const long grown_mb = (PeakRssKb() - before) / 1024;
  std::printf("1 MB config with a 1 MB unknown key: peak RSS grew %ld MB\n", grown_mb);
  EXPECT_LT(grown_mb, 40);
  EXPECT_THAT(UnknownKeyError(errors), HasSubstr("t.toml:2:1: agent.xxx"));
  EXPECT_THAT(UnknownKeyError(errors), HasSubstr("...: unknown key"));
  for (const std::string& error : errors) EXPECT_LT(error.size(), 2000u) << error.substr(0, 100);
}

TEST(LoadConfig, NonAsciiWhereWhitespaceMayBeIsAnErrorNotUndefinedBehaviour) {
  // toml++ 3.3.0 reached __builtin_unreachable for these code points
  // (conf/toml.h); the ASan+UBSan build of this test catches a regression.
  for (const char* text : {"[probe\xd2\x86]\n", "[agent]\nlisten\xc3\xbc = 1\n",
                           "a = 1 \xe3\x80\x81\n", "[x\xef\xb9\x90]\n"}) {
    const std::vector<std::string> errors = Errors(text);
    ASSERT_FALSE(errors.empty()) << text;
    EXPECT_THAT(errors[0], HasSubstr("invalid TOML")) << text;
  }
}

TEST(LoadConfig, ControlCharactersInQuotedKeysAreEscapedInErrors) {
  const std::vector<std::string> errors = Errors("[agent]\n\"a\\u001b[2Jb\" = 1\n");
  EXPECT_THAT(UnknownKeyError(errors), HasSubstr("agent.a\\x1b[2Jb: unknown key"));
}

TEST(LoadConfig, UnknownKeySuggestsTheClosestKnownKey) {
  EXPECT_THAT(Errors(WithMinimal("[agent]\nlisten = \"0.0.0.0:9480\"\nlog_levl = \"info\"\n")),
              ElementsAre("t.toml:11:1: agent.log_levl: unknown key; did you mean `log_level`?"));
}

TEST(LoadConfig, UnknownKeyWithoutACloseMatchListsTheKnownKeys) {
  EXPECT_THAT(Errors(WithMinimal("[vip]\ncolour = 1\n")),
              ElementsAre("t.toml:10:1: vip.colour: unknown key (expected one of: addresses, "
                          "device, manage, arp_ignore, arp_announce, arp_interfaces, "
                          "remove_on_stop)"));
}

TEST(LoadConfig, KeyOfAnotherProbeTypeIsUnknownForThisType) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]
url = "http://127.0.0.1/"

[service.s]
port = 80
probes = ["p"]
)"),
              ElementsAre(HasSubstr("t.toml:4:1: probe.p.url: unknown key for type = \"tcp\"")));
}

TEST(LoadConfig, UnknownTopLevelTable) {
  EXPECT_THAT(Errors(WithMinimal("[servce.x]\nport = 1\n")),
              ElementsAre("t.toml:9:2: servce: unknown key; did you mean `service`?"));
  EXPECT_THAT(Errors(WithMinimal("[director]\nport = 1\n")),
              ElementsAre("t.toml:9:2: director: unknown key (expected one of: agent, vip, probe, "
                          "service, pair, peer, second_chance)"));
}

TEST(LoadConfig, WrongTypeNamesTheExpectedType) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]
rise = "2"
interval = 1

[service.s]
port = 80
probes = "p"
)"),
              ElementsAre("t.toml:4:8: probe.p.rise: expected an integer, got a string",
                          "t.toml:5:12: probe.p.interval: expected a duration string with a "
                          "unit, like \"500ms\" or \"2s\", got an integer",
                          "t.toml:9:10: service.s.probes: expected an array of strings, got a "
                          "string"));
}

TEST(LoadConfig, ServiceNamingAMissingProbePointsAtTheListElement) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.s]
port = 80
probes = ["p", "nginx", "p"]
)"),
              ElementsAre("t.toml:7:16: service.s.probes[1]: no probe named \"nginx\" (define "
                          "[probe.nginx])",
                          "t.toml:7:25: service.s.probes[2]: duplicate of service.s.probes[0]"));
}

TEST(LoadConfig, PortOutOfRange) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.s]
port = 70000
probes = ["p"]
)"),
              ElementsAre("t.toml:6:8: service.s.port: 70000 is out of range (expected "
                          "1..65535)"));
}

TEST(LoadConfig, MissingRequiredKeysAreReportedAtTheTableHeader) {
  EXPECT_THAT(Errors("[probe.p]\ninterval = \"1s\"\n\n[service.s]\n"),
              ElementsAre("t.toml:1:1: probe.p: missing required key `type` (one of tcp, http, "
                          "exec, mysql, galera, group_replication)",
                          "t.toml:4:1: service.s: missing required key `probes` (a non-empty "
                          "list of [probe.NAME] names)",
                          "t.toml:4:1: service.s: missing required key `port` (the service port "
                          "the directors balance, 1..65535)"));
}

TEST(LoadConfig, VipWithAMaskSaysItIsBoundAsAHostAddress) {
  EXPECT_THAT(Errors(WithMinimal("[vip]\naddresses = [\"192.168.1.100/24\"]\n")),
              ElementsAre("t.toml:10:14: vip.addresses[0]: \"192.168.1.100/24\" carries a mask; "
                          "a VIP is bound as /32 and must be written without one: "
                          "\"192.168.1.100\" (a mask would make the node claim the whole subnet "
                          "as local)"));
  EXPECT_THAT(Errors(WithMinimal("[vip]\naddresses = [\"2001:db8::1/64\"]\n")),
              ElementsAre(HasSubstr("a VIP is bound as /128")));
}

TEST(LoadConfig, DuplicateListEntriesAreErrors) {
  EXPECT_THAT(Errors(WithMinimal("[vip]\naddresses = [\"10.0.0.1\", \"10.0.0.1\"]\n")),
              ElementsAre("t.toml:10:26: vip.addresses[1]: duplicate of vip.addresses[0]"));
}

TEST(LoadConfig, ServiceVipMustBeAManagedVip) {
  EXPECT_THAT(Errors(R"([vip]
addresses = ["192.168.1.100"]

[probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.s]
vip = "192.168.1.101"
port = 80
probes = ["p"]
)"),
              ElementsAre("t.toml:9:7: service.s.vip: 192.168.1.101 is not listed in "
                          "vip.addresses"));
}

TEST(LoadConfig, TimeoutMustNotExceedInterval) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "tcp"
targets = ["127.0.0.1:80"]
interval = "1s"
timeout = "2s"

[probe.q]
type = "tcp"
targets = ["127.0.0.1:81"]
interval = "200ms"

[service.s]
port = 80
probes = ["p", "q"]
)"),
              ElementsAre("t.toml:5:11: probe.p.timeout: timeout 2s exceeds interval 1s "
                          "(timeout must not exceed interval)",
                          "t.toml:10:12: probe.q.interval: the default timeout 500ms exceeds "
                          "interval 200ms (timeout must not exceed interval)"));
}

TEST(LoadConfig, LogFormatIsTextByDefaultOrJson) {
  EXPECT_EQ(Load(WithMinimal("")).agent.log_format, "text");
  EXPECT_EQ(Load(WithMinimal("[agent]\nlog_format = \"json\"\n")).agent.log_format, "json");
  EXPECT_THAT(Errors(WithMinimal("[agent]\nlog_format = \"logfmt\"\n")),
              ElementsAre("t.toml:10:14: agent.log_format: \"logfmt\" is not a log format (text "
                          "or json)"));
}

TEST(LoadConfig, RangesOfEveryBoundedKey) {
  EXPECT_THAT(Errors(WithMinimal(R"([agent]
shutdown_grace = "11m"
http_threads = 65
log_level = "verbose"
[vip]
arp_ignore = 9
arp_announce = 3
device = "a-very-long-name0"
[probe.r]
type = "tcp"
targets = ["127.0.0.1:80"]
rise = 0
fall = 101
interval = "50ms"
timeout = "5ms"
)")),
              ElementsAre("t.toml:10:18: agent.shutdown_grace: 11m is out of range (expected "
                          "0s..10m)",
                          "t.toml:11:16: agent.http_threads: 65 is out of range (expected 1..64)",
                          "t.toml:12:13: agent.log_level: \"verbose\" is not a log level (one of "
                          "trace, debug, info, warn, error)",
                          "t.toml:14:14: vip.arp_ignore: 9 is out of range (expected 0..8)",
                          "t.toml:15:16: vip.arp_announce: 3 is out of range (expected 0..2)",
                          "t.toml:16:10: vip.device: \"a-very-long-name0\" is longer than 15 "
                          "characters, the kernel's limit for interface names",
                          "t.toml:20:8: probe.r.rise: 0 is out of range (expected 1..100)",
                          "t.toml:21:8: probe.r.fall: 101 is out of range (expected 1..100)",
                          "t.toml:22:12: probe.r.interval: 50ms is out of range (expected "
                          "100ms..1h)",
                          "t.toml:23:11: probe.r.timeout: 5ms is out of range (expected "
                          "10ms..1h)"));
}

TEST(LoadConfig, ExecCommandShapeErrorsSayWhichFormToUse) {
  EXPECT_THAT(Errors(R"([probe.a]
type = "exec"
command = "pgrep nginx"

[probe.b]
type = "exec"
shell = true
command = ["/bin/true"]

[probe.c]
type = "exec"
command = []

[service.s]
port = 80
probes = ["a", "b", "c"]
)"),
              ElementsAre("t.toml:3:11: probe.a.command: a single string needs `shell = true` "
                          "(it then runs via /bin/sh -c); without a shell write the argv as an "
                          "array, e.g. [\"/usr/local/bin/check\", \"--quiet\"]",
                          "t.toml:8:11: probe.b.command: with `shell = true` the command is one "
                          "string for /bin/sh -c; remove `shell` to run this array as argv "
                          "without a shell",
                          "t.toml:12:11: probe.c.command: argv[0], the program to run, must not "
                          "be empty"));
}

TEST(LoadConfig, MysqlNeedsExactlyOneOfSocketAndAddress) {
  EXPECT_THAT(Errors(R"([probe.both]
type = "mysql"
socket = "/run/mysqld/mysqld.sock"
address = "127.0.0.1:3306"

[probe.neither]
type = "mysql"

[service.s]
port = 3306
probes = ["both", "neither"]
)"),
              ElementsAre("t.toml:4:11: probe.both.address: `socket` is set too; set exactly one "
                          "of `socket` (a unix socket path) or `address` (\"IP:PORT\")",
                          "t.toml:6:1: probe.neither: missing `socket` (a unix socket path) or "
                          "`address` (\"IP:PORT\"); exactly one is required"));
}

TEST(LoadConfig, MysqlPathsAndHeartbeatTable) {
  EXPECT_THAT(Errors(R"([probe.db]
type = "mysql"
socket = "mysqld.sock"
credentials = "my.cnf"
heartbeat_table = "heartbeat; DROP TABLE x"

[service.s]
port = 3306
probes = ["db"]
)"),
              ElementsAre("t.toml:3:10: probe.db.socket: \"mysqld.sock\" must be an absolute path",
                          "t.toml:4:15: probe.db.credentials: \"my.cnf\" must be an absolute path",
                          "t.toml:5:19: probe.db.heartbeat_table: \"heartbeat; DROP TABLE x\" is "
                          "not DATABASE.TABLE (letters, digits, '_' and '$' only)"));
}

TEST(LoadConfig, GaleraProbeWithRoles) {
  const Config config = Load(R"([probe.galera]
type = "galera"
address = "127.0.0.1:3306"
credentials = "/etc/rsagent/mysql.cnf"
available_when_donor = true

[service.db-writer]
port = 3306
probes = ["galera"]
role = "writer"
)");
  EXPECT_EQ(config.probes[0].spec,
            ProbeSpec(GaleraProbeSpec{"", *Endpoint::Parse("127.0.0.1:3306"),
                                      "/etc/rsagent/mysql.cnf", true}));
  EXPECT_EQ(probes::ProbeTypeName(config.probes[0].spec), "galera");
  EXPECT_TRUE(probes::KindOf(config.probes[0].spec).config.yields_roles);
  EXPECT_EQ(config.services[0].role, Role::kWriter);
}

TEST(LoadConfig, GaleraErrors) {
  EXPECT_THAT(Errors(R"([probe.g]
type = "galera"
available_when_donor = "yes"
max_lag = "5s"

[service.s]
port = 3306
probes = ["g"]
)"),
              ElementsAre("t.toml:1:1: probe.g: missing `socket` (a unix socket path) or "
                          "`address` (\"IP:PORT\"); exactly one is required",
                          "t.toml:3:24: probe.g.available_when_donor: expected true or false, "
                          "got a string",
                          "t.toml:4:1: probe.g.max_lag: unknown key for type = \"galera\" (expected "
                          "one of: interval, timeout, rise, fall, type, socket, address, "
                          "credentials, available_when_donor)"));
}

TEST(LoadConfig, GroupReplicationProbeWithRoles) {
  const Config config = Load(R"([probe.gr]
type = "group_replication"
socket = "/run/mysqld/mysqld.sock"
credentials = "/etc/rsagent/mysql.cnf"
max_lag = 250

[service.db-reader]
port = 3306
probes = ["gr"]
role = "reader"
)");
  EXPECT_EQ(config.probes[0].spec,
            ProbeSpec(GroupReplicationProbeSpec{"/run/mysqld/mysqld.sock", std::nullopt,
                                                "/etc/rsagent/mysql.cnf", 250}));
  EXPECT_EQ(probes::ProbeTypeName(config.probes[0].spec), "group_replication");
  EXPECT_TRUE(probes::KindOf(config.probes[0].spec).config.yields_roles);
  EXPECT_FALSE(probes::KindOf(config.probes[0].spec).config.pair_server);
  EXPECT_EQ(config.services[0].role, Role::kReader);
  // max_lag defaults to 100 transactions.
  const Config defaults = Load(R"([probe.gr]
type = "group_replication"
address = "127.0.0.1:3306"
[service.s]
port = 3306
probes = ["gr"]
)");
  EXPECT_EQ(defaults.probes[0].spec.As<GroupReplicationProbeSpec>()->max_lag, 100);
}

TEST(LoadConfig, GroupReplicationErrors) {
  // A duration (the mysql probe's max_lag) is refused with what it counts.
  EXPECT_THAT(Errors(R"([probe.g]
type = "group_replication"
socket = "/run/mysqld/mysqld.sock"
max_lag = "5s"
semi_sync_fatal = true

[service.s]
port = 3306
probes = ["g"]
)"),
              ElementsAre("t.toml:4:11: probe.g.max_lag: a group_replication probe's max_lag "
                          "counts transactions in the applier queue (an integer, e.g. max_lag = "
                          "100), not a duration",
                          "t.toml:5:1: probe.g.semi_sync_fatal: unknown key for type = "
                          "\"group_replication\" (expected one of: interval, timeout, rise, fall, "
                          "type, socket, address, credentials, max_lag)"));
  EXPECT_THAT(Errors(R"([probe.g]
type = "group_replication"
socket = "/run/mysqld/mysqld.sock"
address = "127.0.0.1:3306"
max_lag = -1

[service.s]
port = 3306
probes = ["g"]
)"),
              ElementsAre("t.toml:4:11: probe.g.address: `socket` is set too; set exactly one "
                          "of `socket` (a unix socket path) or `address` (\"IP:PORT\")",
                          "t.toml:5:11: probe.g.max_lag: -1 is out of range (expected "
                          "0..100000000)"));
}

TEST(LoadConfig, HttpUrlAndStatusErrors) {
  EXPECT_THAT(Errors(R"([probe.h]
type = "http"
url = "http://example.com/"
expect_status = [200, "300-200", 700, true]
tls_verify = true

[service.s]
port = 80
probes = ["h"]
)"),
              ElementsAre("t.toml:3:7: probe.h.url: \"http://example.com/\" is not a usable probe "
                          "URL: the host must be a literal IP address (IPv6 in brackets) or "
                          "localhost; names are not resolved",
                          "t.toml:4:23: probe.h.expect_status[1]: \"300-200\" is not a status or "
                          "range of statuses like \"200-299\" (within 100..599)",
                          "t.toml:4:34: probe.h.expect_status[2]: 700 is not an HTTP status "
                          "(100..599)",
                          "t.toml:4:39: probe.h.expect_status[3]: expected a status (200) or a "
                          "range (\"200-299\"), got a boolean"));
}

TEST(LoadConfig, TlsVerifyOnPlainHttpIsAnError) {
  EXPECT_THAT(Errors(R"([probe.h]
type = "http"
url = "http://127.0.0.1/"
tls_verify = true

[service.s]
port = 80
probes = ["h"]
)"),
              ElementsAre("t.toml:4:14: probe.h.tls_verify: applies only to https:// URLs, and "
                          "the url is http://"));
}

TEST(LoadConfig, RoleNeedsAMysqlProbe) {
  EXPECT_THAT(Errors(WithMinimal("[service.db]\nport = 3306\nprobes = [\"p\"]\nrole = "
                                 "\"writer\"\n[service.x]\nport = 1\nprobes = [\"p\"]\nrole = "
                                 "\"master\"\n")),
              ElementsAre("t.toml:12:8: service.db.role: role \"writer\" needs a mysql, galera "
                          "or group_replication probe among `probes`; the role picks which of "
                          "its checks decide the service",
                          "t.toml:16:8: service.x.role: \"master\" is not a role (\"writer\" or "
                          "\"reader\")"));
}

TEST(LoadConfig, WeightKeys) {
  Config plain = Load(kMinimal);
  EXPECT_EQ(plain.services[0].weight, WeightConfig{});
  EXPECT_EQ(plain.services[0].weight.full, 100);
  EXPECT_EQ(plain.services[0].weight.slow_start, milliseconds(0));

  Config config = Load(
      WithMinimal("[service.w]\nport = 81\nprobes = [\"p\"]\nweight = 50\nslow_start = \"60s\"\n"
                  "weight_min = 20\nweight_by = \"connections\"\nbusy_at = 400\n"
                  "[service.c]\nport = 82\nprobes = [\"p\"]\nweight_by = \"cpu\"\nbusy_at = 60\n"));
  const WeightConfig& w = config.FindService("w")->weight;
  EXPECT_EQ(w.full, 50);
  EXPECT_EQ(w.slow_start, milliseconds(60000));
  EXPECT_EQ(w.min_percent, 20);
  EXPECT_EQ(w.by, WeightBy::kConnections);
  EXPECT_EQ(w.busy_at, 400);
  EXPECT_EQ(config.FindService("c")->weight.by, WeightBy::kCpu);
  EXPECT_EQ(config.FindService("c")->weight.busy_at, 60);
}

TEST(LoadConfig, AgentCheckListenNeedsAPortOfItsOwn) {
  EXPECT_FALSE(Load(kMinimal).agent.agent_check_listen.has_value());
  Config config = Load("[agent]\nagent_check_listen = \"0.0.0.0:9481\"\n" + std::string(kMinimal));
  EXPECT_EQ(config.agent.agent_check_listen, Endpoint::Parse("0.0.0.0:9481").value());
  EXPECT_THAT(Errors("[agent]\nlisten = \"127.0.0.1:9480\"\nagent_check_listen = "
                     "\"0.0.0.0:9480\"\n" +
                     std::string(kMinimal)),
              ElementsAre("t.toml:3:22: agent.agent_check_listen: port 9480 is agent.listen's: "
                          "the agent-check protocol needs a port of its own"));
}

TEST(LoadConfig, WeightErrorsNameTheKeyAndTheRange) {
  EXPECT_THAT(Errors(WithMinimal("[service.a]\nport = 1\nprobes = [\"p\"]\nweight = 254\n"
                                 "[service.b]\nport = 2\nprobes = [\"p\"]\nweight_by = \"load\"\n"
                                 "[service.c]\nport = 3\nprobes = [\"p\"]\nbusy_at = 5\n"
                                 "[service.d]\nport = 4\nprobes = [\"p\"]\nweight_by = \"cpu\"\n"
                                 "[service.e]\nport = 5\nprobes = [\"p\"]\nweight_by = \"cpu\"\n"
                                 "busy_at = 101\n")),
              ElementsAre(HasSubstr("service.a.weight: "),
                          HasSubstr("service.b.weight_by: \"load\" is "
                                    "not a load source"),
                          HasSubstr("service.c.busy_at: needs weight_by"),
                          HasSubstr("service.d: missing required key `busy_at` (the CPU pressure"),
                          HasSubstr("service.e.busy_at: ")));
}

TEST(LoadConfig, NamesMustBePlainWords) {
  EXPECT_THAT(Errors(WithMinimal("[probe.\"my probe\"]\ntype = \"tcp\"\n")),
              ElementsAre("t.toml:9:8: probe.\"my probe\": invalid name (use letters, digits, "
                          "'_' and '-')"));
}

TEST(LoadConfig, ProbeOfUnknownTypeIsReportedOnceNotAtEachUser) {
  EXPECT_THAT(Errors(R"([probe.p]
type = "ping"
host = "x"

[service.s]
port = 80
probes = ["p"]
role = "reader"
)"),
              ElementsAre("t.toml:2:8: probe.p.type: \"ping\" is not a probe type (one of tcp, "
                          "http, exec, mysql, galera, "
                          "group_replication)"));
}

TEST(LoadConfig, EmptyFileNeedsAService) {
  EXPECT_THAT(Errors(""), ElementsAre("t.toml: no [service.NAME] table: a config must define at "
                                      "least one service (its port and the probes that decide "
                                      "it)"));
}

TEST(LoadConfig, ReportsEveryErrorInFileOrder) {
  const std::vector<std::string> errors = Errors(R"([agent]
listen = "0.0.0.0"

[probe.p]
type = "tcp"
targets = []
rise = 0

[service.s]
port = 0
probes = ["q"]
extra = 1
)");
  EXPECT_THAT(
      errors,
      ElementsAre(HasSubstr("t.toml:2:10: agent.listen:"),
                  "t.toml:6:11: probe.p.targets: must list at least one \"IP:PORT\"",
                  HasSubstr("t.toml:7:8: probe.p.rise:"), HasSubstr("t.toml:10:8: service.s.port:"),
                  HasSubstr("t.toml:11:11: service.s.probes[0]: no probe named \"q\""),
                  HasSubstr("t.toml:12:1: service.s.extra: unknown key")));
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("rsagent-conf-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

std::vector<std::string> FileErrors(const std::string& path) {
  LoadResult result = LoadConfigFile(path, probes::ProbeKindReaders());
  if (result.ok()) return {"<loaded without errors>"};
  return result.ErrorLines();
}

TEST_F(ConfigFileTest, LoadsAFileAndNamesItInErrors) {
  const std::string path = dir_ / "rsagent.toml";
  std::ofstream(path) << kMinimal;
  LoadResult result = LoadConfigFile(path, probes::ProbeKindReaders());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config().source, path);

  std::ofstream(path) << "[service.s]\nport = 80\nprobes = [\"x\"]\n";
  EXPECT_THAT(FileErrors(path), ElementsAre(path + ":3:11: service.s.probes[0]: no probe named "
                                                   "\"x\" (define [probe.x])"));
}

TEST_F(ConfigFileTest, MissingFileIsOneUnpositionedError) {
  const std::string path = dir_ / "absent.toml";
  EXPECT_THAT(FileErrors(path),
              ElementsAre(path + ": cannot read config: No such file or directory"));
}

TEST_F(ConfigFileTest, DirectoryIsOneUnpositionedError) {
  EXPECT_THAT(FileErrors(dir_),
              ElementsAre(dir_.string() + ": cannot read config: Is a directory"));
}

TEST_F(ConfigFileTest, FifoIsRejectedWithoutBlocking) {
  const std::string path = dir_ / "fifo";
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  EXPECT_THAT(FileErrors(path), ElementsAre(path + ": cannot read config: not a regular file"));
}

TEST_F(ConfigFileTest, UnreadableFileSaysPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = dir_ / "secret.toml";
  std::ofstream(path) << kMinimal;
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  EXPECT_THAT(FileErrors(path), ElementsAre(path + ": cannot read config: Permission denied"));
}

TEST(EmbeddedDefault, LoadsCleanAndProbesNginx) {
  const Config config = Load(DefaultConfigText(), kEmbeddedSourceName);
  EXPECT_EQ(config.source, kEmbeddedSourceName);
  EXPECT_THAT(config.vip.addresses, IsEmpty());
  ASSERT_EQ(config.services.size(), 1u);
  EXPECT_EQ(config.services[0].name, "web");
  EXPECT_EQ(config.services[0].port, 80);
  ASSERT_EQ(config.probes.size(), 2u);
  EXPECT_EQ(config.probes[0].spec.As<probes::HttpProbeSpec>()->url, "http://127.0.0.1/");
  EXPECT_EQ(config.probes[1].spec.As<probes::TcpProbeSpec>()->targets[0].ToString(),
            "127.0.0.1:80");
}

TEST(Examples, EveryExampleTomlLoadsClean) {
  const std::filesystem::path examples =
      (std::filesystem::path(__FILE__).parent_path() / "../../../conf/examples").lexically_normal();
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(examples)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    LoadResult result = LoadConfigFile(entry.path(), probes::ProbeKindReaders());
    for (const std::string& line : result.ErrorLines()) ADD_FAILURE() << line;
    ++loaded;
  }
  EXPECT_GE(loaded, 2) << "web-node.toml and db-node.toml";
}

}  // namespace
}  // namespace rsagent::conf

namespace rsagent::conf {
namespace {

TEST(LoadConfig, WatchListenerIsOnByDefaultForTcpAndHttpAndCanBeTurnedOff) {
  Config c = Load(R"(
[probe.a]
type = "tcp"
targets = ["127.0.0.1:80"]
[probe.b]
type = "http"
url = "http://127.0.0.1/"
watch_listener = false
[service.web]
port = 80
probes = ["a", "b"]
)");
  ASSERT_EQ(c.probes.size(), 2u);
  EXPECT_TRUE(c.probes[0].watch_listener);
  EXPECT_FALSE(c.probes[1].watch_listener);
}

TEST(LoadConfig, WatchListenerIsRefusedForKindsWithoutAListener) {
  EXPECT_THAT(Errors(R"(
[probe.x]
type = "exec"
command = ["/bin/true"]
watch_listener = true
[service.web]
port = 80
probes = ["x"]
)"),
              ElementsAre(HasSubstr("probe.x.watch_listener: unknown key")));
}

}  // namespace
}  // namespace rsagent::conf

namespace rsagent::conf {
namespace {

constexpr std::string_view kWebService = R"(
[vip]
addresses = ["192.168.1.100"]
[probe.nginx]
type = "http"
url = "http://127.0.0.1/"
[service.web]
vip = "192.168.1.100"
port = 80
probes = ["nginx"]
[service.local]
port = 8080
probes = ["nginx"]
)";

TEST(LoadConfig, SecondChanceWithPeers) {
  Config c = Load(std::string(kWebService) + R"(
[peer.D]
agent = "192.168.1.11:9480"
mac = "52:54:00:0a:0B:0c"
[second_chance]
interface = "eth0"
services = ["web"]
max_flows = 1000
poll = "100ms"
timeout = "50ms"
heartbeat_timeout = "2s"
)");
  ASSERT_TRUE(c.second_chance);
  EXPECT_EQ(c.second_chance->interface, "eth0");
  EXPECT_EQ(c.second_chance->services, std::vector<std::string>{"web"});
  EXPECT_EQ(c.second_chance->max_flows, 1000u);
  EXPECT_EQ(c.second_chance->poll, milliseconds(100));
  EXPECT_EQ(c.second_chance->timeout, milliseconds(50));
  EXPECT_EQ(c.second_chance->heartbeat_timeout, milliseconds(2000));
  ASSERT_EQ(c.peers.size(), 1u);
  EXPECT_EQ(c.peers[0].name, "D");
  EXPECT_EQ(c.peers[0].agent.ToString(), "192.168.1.11:9480");
  EXPECT_EQ(c.peers[0].mac, (std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0x0a, 0x0b, 0x0c}));
}

TEST(LoadConfig, SecondChanceIsOffWithoutItsSection) {
  Config c = Load(kWebService);
  EXPECT_FALSE(c.second_chance);
  EXPECT_TRUE(c.peers.empty());
}

TEST(LoadConfig, SecondChanceErrorsNameTheKey) {
  EXPECT_THAT(Errors(std::string(kWebService) + R"(
[peer.D]
agent = "192.168.1.11"
mac = "01:00:5e:00:00:01"
[peer.E]
mac = "52:54:00:0a:0b"
[second_chance]
interface = "eth0/x"
services = ["local", "nope"]
timeout = "1s"
)"),
              ElementsAre(HasSubstr("peer.D.agent:"), HasSubstr("peer.D.mac: \"01:00:5e:00:00:01\" is a multicast"),
                          HasSubstr("peer.E: missing required key `agent`"),
                          HasSubstr("peer.E.mac: \"52:54:00:0a:0b\" is not a MAC address"),
                          HasSubstr("second_chance.interface:"),
                          HasSubstr("second_chance.services[0]: service \"local\" has no IPv4 vip"),
                          HasSubstr("second_chance.services[1]: no service named \"nope\""),
                          HasSubstr("second_chance.timeout: must not exceed poll")));
}

TEST(LoadConfig, MaxDownCountsThisNodeAndItsPeers) {
  const std::string peers = R"(
[peer.D]
agent = "192.168.1.11:9480"
[peer.E]
agent = "192.168.1.12:9480"
)";
  Config c = Load(std::string(kWebService) + "max_down = 2\n" + peers);
  EXPECT_EQ(c.services[1].max_down, 2);  // [service.local], the last table before it
  EXPECT_FALSE(c.services[0].max_down);
  EXPECT_FALSE(c.peers[0].mac);  // a MAC only second chance needs
  EXPECT_THAT(Errors(std::string(kWebService) + "max_down = 3\n" + peers),
              ElementsAre(HasSubstr(":14:12: service.local.max_down: must be less than the "
                                    "group's size (this node and 2 peers)")));
  EXPECT_THAT(Errors(std::string(kWebService) + "max_down = 1\n"),
              ElementsAre(HasSubstr("service.local.max_down: needs [peer.NAME] tables")));
  EXPECT_THAT(Errors(std::string(kWebService) + "max_down = 0\n" + peers),
              ElementsAre(HasSubstr("service.local.max_down:")));
}

TEST(LoadConfig, SecondChanceNeedsPeersWithMacs) {
  EXPECT_THAT(Errors(std::string(kWebService) + R"(
[peer.D]
agent = "192.168.1.11:9480"
[second_chance]
interface = "eth0"
services = ["web"]
)"),
              ElementsAre(HasSubstr("[peer.D] has no `mac`")));
}

TEST(LoadConfig, SecondChanceNeedsAPeer) {
  EXPECT_THAT(Errors(std::string(kWebService) + R"(
[second_chance]
interface = "eth0"
services = ["web"]
)"),
              ElementsAre(HasSubstr("no [peer.NAME] table")));
}

}  // namespace
}  // namespace rsagent::conf
