#include "cli/cli.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <optional>
#include <ostream>
#include <variant>

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
// it takes --json, words after its name, --wait [--timeout D], and the flag
// that names a target or confirms (--all, --yes). CLI11 refuses anything
// else given, never silently ignoring it.
struct CommandSpec {
  const char* name;
  const char* synopsis;
  bool json;
  bool words;
  bool wait = false;
  const char* word_flag = nullptr;
};

constexpr CommandSpec kCommands[] = {
    {"run", "run [-c FILE]", false, false},
    {"check-config", "check-config [-c FILE]", false, false},
    {"probe", "probe NAME [-c FILE] [--json]", true, true},
    {"vip", "vip up|down|status [-c FILE] [--json]", true, true},
    {"status", "status [-c FILE] [--json]", true, false},
    {"drain", "drain SERVICE|--all [-c FILE] [--json | --wait [--timeout D]]", true, true, true,
     "--all"},
    {"maint", "maint SERVICE|--all [-c FILE] [--json | --wait [--timeout D]]", true, true, true,
     "--all"},
    {"undrain", "undrain SERVICE|--all [-c FILE] [--json]", true, true, false, "--all"},
    {"reload", "reload [-c FILE] [--json]", true, false},
    {"switchover", "switchover SERVICE [-c FILE] [--json]", true, true},
    {"promote", "promote SERVICE --yes [-c FILE] [--json]", true, true, false, "--yes"},
    {"diagnose", "diagnose [-c FILE] [--json]", true, false},
};

struct Args {
  std::string command;  // empty: none given
  std::vector<std::string> positional;
  std::optional<std::string> config_path;
  bool json = false;
  bool help = false;     // --help, alone or after a command
  bool version = false;  // --version
  bool wait = false;
  std::optional<std::chrono::milliseconds> timeout;
};

// A refusal: what to print (a CLI11 or our own message) and for which
// command (its synopsis follows), or none (the overview follows).
struct UsageError {
  std::string message;
  const CommandSpec* command = nullptr;
};

std::variant<Args, UsageError> Parse(const std::vector<std::string>& argv) {
  CLI::App app("rsagent");
  app.set_help_flag();  // our texts (kUsage, synopses): scripts and rsagent(8) follow them
  app.require_subcommand(0, 1);
  Args args;
  app.add_flag("-h,--help", args.help);
  app.add_flag("-V,--version", args.version);
  std::string config_path;
  std::string timeout_text;
  bool word_flag = false;
  std::vector<std::pair<CLI::App*, const CommandSpec*>> subs;
  for (const CommandSpec& spec : kCommands) {
    CLI::App* sub = app.add_subcommand(spec.name);
    sub->set_help_flag();
    sub->add_flag("-h,--help", args.help);
    sub->add_option("-c,--config", config_path);
    if (spec.json) sub->add_flag("--json", args.json);
    if (spec.words) sub->add_option("words", args.positional);
    if (spec.word_flag) sub->add_flag(spec.word_flag, word_flag);
    if (spec.wait) {
      sub->add_flag("--wait", args.wait);
      sub->add_option("--timeout", timeout_text);
    }
    subs.emplace_back(sub, &spec);
  }
  auto parsed_command = [&]() -> const CommandSpec* {
    for (const auto& [sub, spec] : subs) {
      if (sub->parsed()) return spec;
    }
    return nullptr;
  };
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 parses from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return UsageError{e.what(), parsed_command()};
  }
  const CommandSpec* spec = parsed_command();
  if (spec) {
    args.command = spec->name;
    if (app.get_subcommand(spec->name)->count("--config")) args.config_path = config_path;
    if (word_flag) args.positional.push_back(spec->word_flag);
    if (!timeout_text.empty()) {
      auto d = conf::ParseDuration(timeout_text);
      if (!d) return UsageError{"--timeout: " + d.error(), spec};
      args.timeout = *d;
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
        << config->services.size() << " services, " << config->vip.addresses.size() << " VIPs)\n";
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
    spdlog::warn(
        "{} does not exist: using the embedded default config (a plain nginx box: "
        "http://127.0.0.1/ and port 80, no VIPs)",
        conf::kDefaultConfigPath);
  }
  const std::string path = embedded ? "" : args.config_path.value_or(conf::kDefaultConfigPath);
  return RunDaemon(std::move(*config),
                   DaemonOptions{.config_path = path, .version = kVersion, .log_sink = log_sink});
}

}  // namespace

int RunCli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  if (!argv.empty() && argv[0] == "help") {
    out << kUsage;
    return 0;
  }
  if (!argv.empty() && !argv[0].starts_with("-") &&
      std::none_of(std::begin(kCommands), std::end(kCommands),
                   [&](const CommandSpec& spec) { return argv[0] == spec.name; })) {
    err << "rsagent: unknown command \"" << argv[0] << "\"\n" << kUsage;
    return 2;
  }
  auto parsed = Parse(argv);
  if (const auto* refused = std::get_if<UsageError>(&parsed)) {
    if (const CommandSpec* spec = refused->command) {
      err << "rsagent " << spec->name << ": " << refused->message << "\nusage: rsagent "
          << spec->synopsis << "\n";
    } else {
      err << "rsagent: " << refused->message << "\n" << kUsage;
    }
    return 2;
  }
  const Args* args = &std::get<Args>(parsed);
  const std::string& cmd = args->command;
  if (cmd.empty()) {
    if (args->version) {
      out << "rsagent " << kVersion << "\n";
      return 0;
    }
    (args->help ? out : err) << kUsage;
    return args->help ? 0 : 2;
  }
  if (args->help) {
    const auto* spec = std::find_if(std::begin(kCommands), std::end(kCommands),
                                    [&](const CommandSpec& s) { return cmd == s.name; });
    out << "usage: rsagent " << spec->synopsis << "\n\n" << kUsage;
    return 0;
  }
  if (IsAdminCommand(cmd)) return RunAdmin(*args, out, err);
  if (cmd == "diagnose") {
    diagnose::SystemHost host;
    return diagnose::RunDiagnose(
        {.config_path = args->config_path.value_or(conf::kDefaultConfigPath),
         .json = args->json,
         .colour = &out == &std::cout && isatty(STDOUT_FILENO)},
        host, out);
  }
  return RunCommand(*args, out, err);  // run, check-config, probe, vip
}

}  // namespace rsagent::agent
