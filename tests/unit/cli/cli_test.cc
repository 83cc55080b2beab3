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
  EXPECT_NE(json.err.find("rsagent check-config: The following argument was not expected: --json"),
            std::string::npos)
      << json.err;
  EXPECT_NE(json.err.find("usage: rsagent check-config [-c FILE]"), std::string::npos);
  EXPECT_EQ(Cli({"run", "--json"}).code, 2);
  EXPECT_EQ(Cli({"check-config", "extra"}).code, 2);
  EXPECT_EQ(Cli({"diagnose", "--all"}).code, 2);
  EXPECT_EQ(Cli({"check-config", "--bogus"}).code, 2);
}

TEST(Cli, EveryOptionSpellingIsParsed) {
  // CLI11 (issue 12: a parser from Debian instead of our own loop).
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check-config", "-c", "/nonexistent.toml"},
        {"check-config", "--config", "/nonexistent.toml"},
        {"check-config", "--config=/nonexistent.toml"},
        {"check-config", "-c/nonexistent.toml"}}) {
    const CliRun r = Cli(args);
    EXPECT_EQ(r.code, 1) << args.back();
    EXPECT_NE(r.err.find("/nonexistent.toml: cannot read config"), std::string::npos) << r.err;
  }
  const CliRun missing = Cli({"check-config", "-c"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("--config"), std::string::npos) << missing.err;
  const CliRun unknown = Cli({"bogus"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("unknown command \"bogus\""), std::string::npos) << unknown.err;
  EXPECT_EQ(Cli({"--version"}).out.rfind("rsagent ", 0), 0u);
  EXPECT_EQ(Cli({}).code, 2);
  EXPECT_EQ(Cli({"--help"}).code, 0);
  // A service may be named like a command: it is a word of drain, not a second command.
  const CliRun named_run = Cli({"drain", "run", "status", "-c", "/nonexistent.toml"});
  EXPECT_EQ(named_run.code, 2);
  EXPECT_NE(named_run.err.find("unexpected argument \"status\""), std::string::npos)
      << named_run.err;
}

TEST(Cli, WaitGoesWithDrainAndMaintOnly) {
  // Refused before anything is sent to an agent: the socket below does not exist.
  const CliRun status = Cli({"status", "--wait", "-c", "/nonexistent.toml"});
  EXPECT_EQ(status.code, 2);
  EXPECT_NE(status.err.find("rsagent status: The following argument was not expected: --wait"),
            std::string::npos)
      << status.err;
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
