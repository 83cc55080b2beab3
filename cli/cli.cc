#include "cli/cli.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <ostream>

#include "agent/daemon.h"
#include "agent/logging.h"
#include "cli/admin_commands.h"
#include "cli/probe_command.h"
#include "cli/vip_command.h"
#include "conf/config_loader.h"
#include "conf/control_socket_path.h"
#include "conf/duration.h"
#include "diagnose/diagnose_command.h"
#include "diagnose/system_host.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent {

namespace {

constexpr const char* kVersion = RSAGENT_VERSION;

constexpr const char* kUsage = R"(usage: rsagent COMMAND [options]

Health agent for the real servers of an LVS-DR / keepalived cluster.

commands:
  run [-c FILE]                   run the daemon in the foreground
  check-config [-c FILE]          validate the config; errors as FILE:LINE:COL: message
  probe NAME [-c FILE] [--json]   run one probe once and print the result
  vip up|down|status [-c FILE] [--json]
                                  one-shot DR set-up: ARP suppression + VIPs on lo
                                  (down removes only the VIPs rsagent manages)
  status [--json]                 services, probes, VIPs and overrides of the running agent
  drain SERVICE|--all [--wait [--timeout D]]
                                  verdict DOWN (reason drain): the directors send new
                                  connections elsewhere, existing ones finish; --wait
                                  returns once none is left on VIP:port (exit 0) or lists
                                  them after D (default 5m, exit 1)
  maint SERVICE|--all [--wait [--timeout D]]
                                  the same, for work on the box
  undrain SERVICE|--all           end a drain or maint: back into rotation
  reload                          re-read the config; prints its errors if rejected
  switchover SERVICE              MySQL pair: hand the writer role to the peer (stop
                                  writes here, wait until it applied them, it takes over)
  promote SERVICE --yes           MySQL pair: make this node the writer now, without
                                  proof it holds the peer's commits (logged, persisted)
  diagnose [-c FILE] [--json]     DR and MySQL pitfalls, PASS/WARN/FAIL with the fix;
                                  exit 1 on any FAIL
                                  (status..promote ask the agent over agent.control_socket,
                                  root only; overrides persist in agent.state_dir)
  --version                       print the version
  --help                          this text

FILE defaults to /etc/rsagent/rsagent.toml; when it does not exist, run,
check-config and probe use the embedded default (a plain nginx box).
)";

// Per command: its synopsis (for `COMMAND --help` and usage errors), whether
// it takes --json, words after its name and --wait [--timeout D]. Anything
// else given is refused, never silently ignored.
struct CommandSpec {
  const char* name;
  const char* synopsis;
  bool json;
  bool words;
  bool wait = false;
};

constexpr CommandSpec kCommands[] = {
    {"run", "run [-c FILE]", false, false},
    {"check-config", "check-config [-c FILE]", false, false},
    {"probe", "probe NAME [-c FILE] [--json]", true, true},
    {"vip", "vip up|down|status [-c FILE] [--json]", true, true},
    {"status", "status [-c FILE] [--json]", true, false},
    {"drain", "drain SERVICE|--all [-c FILE] [--json | --wait [--timeout D]]", true, true, true},
    {"maint", "maint SERVICE|--all [-c FILE] [--json | --wait [--timeout D]]", true, true, true},
    {"undrain", "undrain SERVICE|--all [-c FILE] [--json]", true, true},
    {"reload", "reload [-c FILE] [--json]", true, false},
    {"switchover", "switchover SERVICE [-c FILE] [--json]", true, true},
    {"promote", "promote SERVICE --yes [-c FILE] [--json]", true, true},
    {"diagnose", "diagnose [-c FILE] [--json]", true, false},
};

const CommandSpec* FindCommand(const std::string& name) {
  for (const auto& spec : kCommands) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::optional<std::string> config_path;
  bool json = false;
  bool help = false;  // COMMAND --help
  bool wait = false;
  std::optional<std::chrono::milliseconds> timeout;
};

Result<Args> Parse(const std::vector<std::string>& argv) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-c" || a == "--config") {
      if (i + 1 == argv.size()) return Error{a + " needs a FILE"};
      args.config_path = argv[++i];
    } else if (a.starts_with("--config=")) {
      args.config_path = a.substr(9);
    } else if (a == "--json") {
      args.json = true;
    } else if (a == "--wait") {
      args.wait = true;
    } else if (a == "--timeout") {
      if (i + 1 == argv.size()) return Error{"--timeout needs a duration, e.g. 5m"};
      auto d = conf::ParseDuration(argv[++i]);
      if (!d) return Error{"--timeout: " + d.error()};
      args.timeout = *d;
    } else if (a == "--all" || a == "--yes") {
      args.positional.push_back(a);  // drain/undrain/maint: the target; promote: confirmed
    } else if ((a == "--help" || a == "-h") && !args.command.empty()) {
      args.help = true;
    } else if (a.starts_with("-") && a != "-" && !(args.command.empty() &&
                                                   (a == "--version" || a == "-V" ||
                                                    a == "--help" || a == "-h"))) {
      return Error{"unknown option " + a};
    } else if (args.command.empty()) {
      args.command = a;
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

// The config a command works on: -c FILE, else the default path, else the
// embedded default. Errors are printed; nothing is returned on any error.
std::optional<conf::Config> LoadConfig(const Args& args, std::ostream& err, bool* embedded) {
  const std::vector<conf::ProbeKindReader> kinds = probes::ProbeKindReaders();
  *embedded = !args.config_path && access(conf::kDefaultConfigPath, F_OK) != 0;
  conf::LoadResult loaded =
      *embedded
          ? conf::LoadConfigString(conf::DefaultConfigText(), conf::kEmbeddedSourceName, kinds)
          : conf::LoadConfigFile(args.config_path.value_or(conf::kDefaultConfigPath), kinds);
  if (!loaded.ok()) {
    for (const std::string& line : loaded.ErrorLines()) err << line << "\n";
    const size_t n = loaded.errors().size();
    err << "rsagent: " << n << " error" << (n == 1 ? "" : "s") << " in the configuration\n";
    return std::nullopt;
  }
  return std::move(loaded).config();
}

// Admin commands only need the socket path, read leniently: a config with
// errors must not keep `reload` from reaching the agent, which reports them.
// One that is not even TOML names no socket: its error is the answer.
int RunAdmin(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.timeout && !args.wait) {
    err << "rsagent " << args.command << ": --timeout goes with --wait\n";
    return 2;
  }
  auto socket = conf::ControlSocketPath(args.config_path.value_or(conf::kDefaultConfigPath));
  if (!socket) {
    err << socket.error() << "\nrsagent " << args.command
        << ": cannot tell which control socket the agent uses until the config parses as TOML; "
           "nothing was sent (a running agent keeps its config)\n";
    return 1;
  }
  std::optional<DrainWaitOptions> wait;
  if (args.wait) {
    wait = DrainWaitOptions{.timeout = args.timeout.value_or(DrainWaitOptions{}.timeout)};
  }
  return RunAdminCommand(args.command, args.positional, args.json, *socket, out, err, wait);
}

int RunCommand(const Args& args, std::ostream& out, std::ostream& err) {
  bool embedded = false;
  auto config = LoadConfig(args, err, &embedded);
  if (!config) return 1;
  if (args.command == "check-config") {
    out << config->source << ": OK (" << config->probes.size() << " probes, "
        << config->services.size() << " services, " << config->vip.addresses.size()
        << " VIPs)\n";
    return 0;
  }
  // One-shot commands log in the daemon's format too (vip up under
  // ExecStartPre lands in the same journal, with the same priorities).
  auto log_sink = SetupLogging(config->agent.log_level, config->agent.log_format);
  if (args.command == "probe") {
    if (args.positional.size() != 1) {
      err << "usage: rsagent probe NAME [-c FILE] [--json]\n";
      return 2;
    }
    return RunProbeCommand(*config, args.positional[0], args.json, out, err);
  }
  if (args.command == "vip") {
    if (args.positional.size() != 1) {
      err << "usage: rsagent vip up|down|status [-c FILE] [--json]\n";
      return 2;
    }
    return netsetup::RunVipCommand(args.positional[0], *config, args.json, out, err);
  }
  // run
  if (embedded) {
    spdlog::warn("{} does not exist: using the embedded default config (a plain nginx box: "
                 "http://127.0.0.1/ and port 80, no VIPs)",
                 conf::kDefaultConfigPath);
  }
  const std::string path =
      embedded ? "" : args.config_path.value_or(conf::kDefaultConfigPath);
  return RunDaemon(std::move(*config),
                   DaemonOptions{.config_path = path, .version = kVersion, .log_sink = log_sink});
}

}  // namespace

int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  auto args = Parse(argv);
  if (!args) {
    err << "rsagent: " << args.error() << "\n" << kUsage;
    return 2;
  }
  const std::string& cmd = args->command;
  if (cmd == "--version" || cmd == "-V") {
    out << "rsagent " << kVersion << "\n";
    return 0;
  }
  if (cmd.empty() || cmd == "--help" || cmd == "-h" || cmd == "help") {
    (cmd.empty() ? err : out) << kUsage;
    return cmd.empty() ? 2 : 0;
  }
  if (const CommandSpec* spec = FindCommand(cmd)) {
    if (args->help) {
      out << "usage: rsagent " << spec->synopsis << "\n\n" << kUsage;
      return 0;
    }
    std::string refused;
    if (args->json && !spec->json) refused = "--json";
    if (!spec->words && !args->positional.empty()) refused = args->positional[0];
    if (!spec->wait && args->wait) refused = "--wait";
    if (!spec->wait && args->timeout) refused = "--timeout";
    if (!refused.empty()) {
      err << "rsagent " << cmd << ": unexpected " << refused << "\nusage: rsagent "
          << spec->synopsis << "\n";
      return 2;
    }
  }
  if (cmd == "run" || cmd == "check-config" || cmd == "probe" || cmd == "vip") return RunCommand(*args, out, err);
  if (IsAdminCommand(cmd)) return RunAdmin(*args, out, err);
  if (cmd == "diagnose") {
    diagnose::SystemHost host;
    return diagnose::RunDiagnose(
        {.config_path = args->config_path.value_or(conf::kDefaultConfigPath),
         .json = args->json,
         .colour = &out == &std::cout && isatty(STDOUT_FILENO)},
        host, out);
  }
  err << "rsagent: unknown command \"" << cmd << "\"\n" << kUsage;
  return 2;
}

}  // namespace rsagent::agent
