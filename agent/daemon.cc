#include "agent/daemon.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "agent/dr_supervisor.h"
#include "agent/health_model.h"
#include "agent/http_server.h"
#include "agent/probe_fleet.h"
#include "conf/config_loader.h"
#include "conf/duration.h"

namespace rsagent::agent {

namespace {

using Clock = std::chrono::steady_clock;

// Staleness is re-evaluated this often even when no probe reports.
constexpr auto kRefreshEvery = std::chrono::milliseconds(250);

sigset_t DaemonSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

// Waits for one of `set` for at most `limit`; 0 on timeout.
int WaitSignal(const sigset_t& set, std::chrono::milliseconds limit) {
  const timespec ts{static_cast<time_t>(limit.count() / 1000),
                    static_cast<long>(limit.count() % 1000) * 1000000L};
  siginfo_t info;
  const int sig = sigtimedwait(&set, &info, &ts);
  return sig > 0 ? sig : 0;
}

void Reload(const DaemonOptions& options, HealthModel& model, ProbeFleet& fleet,
            DrSupervisor& dr, conf::Config& current) {
  if (options.config_path.empty()) {
    spdlog::warn("reload: running on the embedded default, nothing to re-read");
    return;
  }
  auto loaded = conf::LoadConfigFile(options.config_path);
  if (auto* errors = std::get_if<std::vector<conf::ConfigError>>(&loaded)) {
    for (const auto& e : *errors) spdlog::error("reload rejected: {}", e.ToString());
    spdlog::error("reload rejected: keeping the running config");
    return;
  }
  conf::Config next = std::get<conf::Config>(std::move(loaded));
  if (!(next.agent.listen == current.agent.listen)) {
    spdlog::warn("reload: agent.listen changed; it takes effect at the next restart");
  }
  // VIPs first: a [vip] that cannot be applied rejects the whole reload
  // before any probe changes.
  if (Status s = dr.Reconfigure(next.vip); !s) {
    spdlog::error("reload rejected: {}", s.error());
    return;
  }
  if (Status s = fleet.Sync(next.probes); !s) {
    spdlog::error("reload rejected: {}", s.error());
    return;
  }
  model.Reconfigure(next, Clock::now());
  current = std::move(next);
  spdlog::info("reloaded {}: {} probes, {} services", current.source, current.probes.size(),
               current.services.size());
}

}  // namespace

int RunDaemon(const conf::Config& initial, const DaemonOptions& options) {
  // Blocked before any thread starts, so every thread inherits the mask and
  // only the sigtimedwait below ever sees these signals.
  const sigset_t signals = DaemonSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  conf::Config config = initial;
  HealthModel model(config, Clock::now());
  ProbeFleet fleet([&model](const std::string& probe, const probes::ProbeResult& result,
                            Clock::time_point finished) {
    model.Record(probe, result, finished);
  });
  // ARP suppression and VIPs before anything answers health checks.
  auto dr = DrSupervisor::Start(config.vip, model);
  if (!dr) {
    spdlog::error("{}", dr.error());
    return 1;
  }
  if (Status s = fleet.Sync(config.probes); !s) {
    spdlog::error("{}", s.error());
    return 1;
  }

  auto server = HttpServer::Start(
      HttpOptions{.listen = config.agent.listen,
                  .allow = config.agent.allow,
                  .threads = config.agent.http_threads,
                  .version = options.version},
      [&model] { return model.Current(); });
  if (!server) {
    spdlog::error("{}", server.error());
    return 1;
  }
  spdlog::info("rsagent {} serving health on {} ({} probes, {} services, config {})",
               options.version, config.agent.listen.ToString(), config.probes.size(),
               config.services.size(), config.source);

  std::jthread ticker([&model](std::stop_token stop) {
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(kRefreshEvery);
      model.Refresh(Clock::now());
    }
  });

  for (;;) {
    const int sig = WaitSignal(signals, kRefreshEvery);
    (*dr)->Tick();
    if (sig == SIGHUP) {
      Reload(options, model, fleet, **dr, config);
    } else if (sig == SIGTERM || sig == SIGINT) {
      break;
    }
  }

  // Turn every verdict DOWN first and keep answering, so the directors stop
  // sending new connections before the health port disappears. VIPs stay:
  // removing them would break flows still in progress.
  model.SetShuttingDown(Clock::now());
  spdlog::info("stopping: answering DOWN for {} so the directors drain this node "
               "(send the signal again to exit now)",
               conf::FormatDuration(config.agent.shutdown_grace));
  const auto deadline = Clock::now() + config.agent.shutdown_grace;
  while (Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const int sig = WaitSignal(signals, std::max(left, std::chrono::milliseconds(1)));
    if (sig == SIGTERM || sig == SIGINT) {
      spdlog::info("second signal: exiting now");
      break;
    }
  }
  (*dr)->OnStop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace rsagent::agent
