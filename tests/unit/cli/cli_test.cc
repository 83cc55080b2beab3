#include "cli/cli.h"

#include <gtest/gtest.h>

#include <sstream>

namespace rsagent::agent {
namespace {

struct CliRun {
  int code;
  std::string out, err;
};

CliRun Cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, EverySubcommandHasHelp) {
  // Before, `drain --help` was "unknown option --help" (exit 2) for each.
  for (const char* command : {"run", "check-config", "probe", "vip", "status", "drain", "maint",
                              "undrain", "reload", "switchover", "promote", "diagnose"}) {
    const CliRun r = Cli({command, "--help"});
    EXPECT_EQ(r.code, 0) << command << ": " << r.err;
    EXPECT_EQ(r.out.rfind(std::string("usage: rsagent ") + command, 0), 0u) << r.out;
    EXPECT_EQ(Cli({command, "-h"}).code, 0) << command;
  }
}

TEST(Cli, OptionsACommandDoesNotTakeAreRefusedNotIgnored) {
  // Before, check-config --json printed text and exited 0.
  const CliRun json = Cli({"check-config", "--json", "-c", "/nonexistent.toml"});
  EXPECT_EQ(json.code, 2);
  EXPECT_NE(json.err.find("rsagent check-config: unexpected --json"), std::string::npos)
      << json.err;
  EXPECT_NE(json.err.find("usage: rsagent check-config [-c FILE]"), std::string::npos);
  EXPECT_EQ(Cli({"run", "--json"}).code, 2);
  EXPECT_EQ(Cli({"check-config", "extra"}).code, 2);
  EXPECT_EQ(Cli({"diagnose", "--all"}).code, 2);
  EXPECT_EQ(Cli({"check-config", "--bogus"}).code, 2);
}

TEST(Cli, WaitGoesWithDrainAndMaintOnly) {
  // Refused before anything is sent to an agent: the socket below does not exist.
  const CliRun status = Cli({"status", "--wait", "-c", "/nonexistent.toml"});
  EXPECT_EQ(status.code, 2);
  EXPECT_NE(status.err.find("rsagent status: unexpected --wait"), std::string::npos) << status.err;
  EXPECT_EQ(Cli({"undrain", "web", "--timeout", "5s"}).code, 2);
  EXPECT_EQ(Cli({"reload", "--wait"}).code, 2);
  EXPECT_EQ(Cli({"drain", "web", "--wait", "--timeout", "soon"}).code, 2);
  const CliRun lone = Cli({"drain", "web", "--timeout", "5s", "-c", "/nonexistent.toml"});
  EXPECT_EQ(lone.code, 2);
  EXPECT_NE(lone.err.find("--timeout goes with --wait"), std::string::npos) << lone.err;
  const CliRun json = Cli({"drain", "web", "--wait", "--json", "-c", "/nonexistent.toml"});
  EXPECT_EQ(json.code, 2) << json.err;
}

}  // namespace
}  // namespace rsagent::agent
