#include "probes/probe_factory.h"

#include <variant>

#include "probes/exec_probe.h"
#include "probes/galera_probe.h"
#include "probes/http_probe.h"
#include "probes/mysql_probe.h"
#include "probes/safe_probe.h"
#include "probes/tcp_probe.h"

namespace rsagent::probes {

namespace {

using ProbeOrError = Result<std::unique_ptr<Probe>>;

ProbeOrError Make(const conf::TcpProbeSpec& spec) {
  if (spec.targets.empty()) return Error{"tcp probe needs at least one target"};
  return std::unique_ptr<Probe>(std::make_unique<TcpProbe>(spec.targets));
}

ProbeOrError Make(const conf::HttpProbeSpec& spec) {
  auto probe = HttpProbe::Create(spec);
  if (!probe.ok()) return Error{probe.error()};
  return std::unique_ptr<Probe>(std::move(probe).value());
}

ProbeOrError Make(const conf::ExecProbeSpec& spec) {
  if (spec.command.empty()) return Error{"exec probe needs a command"};
  if (!spec.shell) return std::unique_ptr<Probe>(std::make_unique<ExecProbe>(spec.command));
  if (spec.command.size() != 1) return Error{"exec probe with shell = true takes one command string"};
  return std::unique_ptr<Probe>(
      std::make_unique<ExecProbe>(std::vector<std::string>{"/bin/sh", "-c", spec.command[0]}));
}

ProbeOrError Make(const conf::MysqlProbeSpec& spec) {
  auto probe = MysqlProbe::Create(spec);
  if (!probe.ok()) return Error{probe.error()};
  return std::unique_ptr<Probe>(std::move(probe).value());
}

ProbeOrError Make(const conf::GaleraProbeSpec& spec) {
  auto probe = GaleraProbe::Create(spec);
  if (!probe.ok()) return Error{probe.error()};
  return std::unique_ptr<Probe>(std::move(probe).value());
}

}  // namespace

Result<std::unique_ptr<Probe>> MakeProbe(const conf::ProbeConfig& config) {
  auto probe = std::visit([](const auto& spec) { return Make(spec); }, config.spec);
  if (!probe.ok()) return Error{"probe " + config.name + ": " + probe.error()};
  return std::unique_ptr<Probe>(std::make_unique<SafeProbe>(std::move(probe).value()));
}

}  // namespace rsagent::probes
