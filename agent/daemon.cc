#include "agent/daemon.h"

#include <algorithm>
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <mutex>
#include <thread>

#include "agent/event_log.h"
#include "agent/reload.h"
#include "common/clock.h"
#include "common/stop_sleep.h"
#include "conf/duration.h"
#include "control/admin.h"
#include "control/control_server.h"
#include "health/dr_supervisor.h"
#include "health/health_model.h"
#include "health/listener_guard.h"
#include "health/load_sampler.h"
#include "health/probe_fleet.h"
#include "health/peer_reader.h"
#include "health/second_chance.h"
#include "http/agent_check_server.h"
#include "http/http_server.h"
#include "pair/writer_arbiter.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent {

namespace {

// Staleness is re-evaluated, and results that changed no verdict reach
// /status and /metrics, this often. A verdict that changes is published at
// once; a probe turns stale no earlier than two intervals plus its timeout,
// so a second more is precision enough. (Every 250 ms, with a wake-up of
// the main loop as often, cost 0.1 % of a core at 10 probes: issue 16.)
constexpr auto kRefreshEvery = std::chrono::milliseconds(1000);
// Connections and CPU pressure: every second while a weight depends on them,
// else every 10 s for rsagent_service_connections and /status. A sock_diag
// dump walks the kernel's whole TCP hash table (~3 ms here, however few
// sockets match): once a second that alone cost 0.3 % of a core.
constexpr int kLoadEveryRefreshes = 1;
constexpr int kLoadIdleEveryRefreshes = 10;
// Every 10 s the free pages inside the heap go back to the kernel: the
// snapshot rebuilt at every refresh leaves freed blocks between live ones,
// which malloc keeps resident (issue 16: RSS at 1,000 probes).
constexpr int kTrimEveryRefreshes = 10;
constexpr auto kLoadTimeout = std::chrono::milliseconds(500);

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

Result<std::unique_ptr<pair::WriterArbiter>> StartArbiter(const conf::Config& config,
                                                          HealthModel& model) {
  const conf::PairConfig& pair = *config.pair;
  // conf/ accepted pair.probe only of a kind with a pair_server.
  const conf::ProbeSpec& spec = config.FindProbe(pair.probe)->spec;
  const conf::MysqlServer local = probes::KindOf(spec).config.pair_server(spec);
  pair::WriterArbiter::Hooks hooks{
      .service_override =
          [&model, service = pair.service] {
            const ServiceView* view = model.Current()->FindService(service);
            return view && view->admin.state != AdminState::kNone
                       ? std::string(AdminStateName(view->admin.state))
                       : std::string();
          },
      .publish =
          [&model](bool writer, const pair::WriterReport& report, const pair::PeerView& peer) {
            model.SetPairRound(writer, report, peer, Clock::now());
          }};
  const conf::ServiceConfig& service = *config.FindService(pair.service);
  return pair::WriterArbiter::Start(pair, local, Endpoint{*service.vip, service.port},
                                    config.agent.state_dir, std::move(hooks));
}

}  // namespace

int RunDaemon(conf::Config config, const DaemonOptions& options) {
  // Blocked before any thread starts, so every thread inherits the mask and
  // only the sigtimedwait below ever sees these signals.
  const sigset_t signals = DaemonSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // One malloc arena: the probe workers' allocations are small and brief,
  // and a heap per thread cost ~13 MB of RSS at 1,000 probes (issue 16).
  mallopt(M_ARENA_MAX, 1);
  // Blocks from 64 KiB up (a snapshot's probe views, /status and /metrics
  // bodies) are mapped and unmapped, not carved from the heap, where each
  // left a hole that stayed resident; glibc's default threshold rises to
  // 32 MiB after the first such block is freed.
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  signal(SIGPIPE, SIG_IGN);

  // First of all: a second agent must fail before it touches anything — the
  // kernel's DR state or the running agent's overrides.
  auto state_dir = StateDir::Claim(config.agent.state_dir, geteuid());
  if (!state_dir) {
    spdlog::error("{}", state_dir.error());
    return 1;
  }
  if (Status s = PrepareControlSocketDirectory(config.agent.control_socket); !s) {
    spdlog::error("{}", s.error());
    return 1;
  }
  EventLog events(spdlog::default_logger(), options.log_sink);
  HealthModel model(config, Clock::now(), &events);
  ProbeFleet fleet([&model](const std::string& probe, const probes::ProbeResult& result,
                            const AttemptTiming& timing) {
    model.Record(probe, result, timing.finished, timing.ScheduleDelay());
  });
  // ARP suppression and VIPs before anything answers health checks.
  auto dr = DrSupervisor::Start(config.vip, model);
  if (!dr) {
    spdlog::error("{}", dr.error());
    return 1;
  }
  fleet.Sync(config.probes);
  // Event-driven DOWN for tcp/http probes; without it they still fail on
  // schedule, so a refused subscription is a warning, not a reason to stop.
  auto listener_guard = ListenerGuard::Start(model);
  if (!listener_guard) {
    spdlog::warn("{}; tcp and http probes turn DOWN after `fall` attempts only",
                 listener_guard.error());
  }
  malloc_trim(0);  // what loading the config freed, back to the kernel

  // The DR supervisor belongs to the main loop; reloads from the control
  // socket's thread take the same lock.
  std::mutex dr_mu;
  // The [agent] keys a reload applies live; the HTTP and agent-check servers
  // exist before any reload can arrive (the control socket and SIGHUP
  // handling start later).
  HttpServer* http = nullptr;
  AgentCheckServer* agent_check_live = nullptr;
  const ApplyAgentKeys apply_agent = [&http, &agent_check_live](const conf::AgentConfig& agent) {
    if (http) http->SetAllow(agent.allow);
    if (agent_check_live) agent_check_live->SetAllow(agent.allow);
    spdlog::default_logger()->set_level(spdlog::level::from_str(agent.log_level));
  };
  std::unique_ptr<pair::WriterArbiter> arbiter;  // with [pair], started below
  Admin admin(
      model, OverrideStore(std::move(state_dir).value()),
      [&] {
        std::lock_guard lock(dr_mu);
        return ReloadConfig(options.config_path, model, fleet, **dr, apply_agent, config, events);
      },
      options.version, &events,
      [&arbiter](ControlCommand command) -> Result<pair::AdminOutcome> {
        if (!arbiter) return Error{"no [pair] arbiter is running"};
        return command == ControlCommand::kPromote ? arbiter->Promote() : arbiter->Switchover();
      });
  // Overrides before the health port opens: a drained node never answers UP.
  if (Status s = admin.Restore(); !s) {
    spdlog::error("{}", s.error());
    return 1;
  }

  auto server = HttpServer::Start(HttpOptions{.listen = config.agent.listen,
                                              .allow = config.agent.allow,
                                              .threads = config.agent.http_threads,
                                              .version = options.version},
                                  [&model] { return model.Current(); });
  if (!server) {
    spdlog::error("{}", server.error());
    return 1;
  }
  http = server->get();
  std::unique_ptr<AgentCheckServer> agent_check;
  if (config.agent.agent_check_listen) {
    auto started = AgentCheckServer::Start(
        AgentCheckOptions{.listen = *config.agent.agent_check_listen, .allow = config.agent.allow},
        [&model] { return model.Current(); });
    if (!started) {
      spdlog::error("{}", started.error());
      return 1;
    }
    agent_check = std::move(started).value();
    agent_check_live = agent_check.get();
  }
  // After the listener: the peer's first rounds read our /writer. Until our
  // own first round the writer service stays DOWN ("pair: no round yet").
  if (config.pair) {
    auto started = StartArbiter(config, model);
    if (!started) {
      spdlog::error("{}", started.error());
      return 1;
    }
    arbiter = std::move(started).value();
  }
  // The peers' verdicts, for second chance and max_down.
  std::unique_ptr<PeerReader> peers;
  if (!PeerServices(config).empty()) {
    const std::vector<std::string> services = PeerServices(config);
    const auto fresh = PeerPollingOf(config).Fresh();
    peers = std::make_unique<PeerReader>(
        config, [&model, services, fresh](const std::vector<PeerRead>& reads) {
          model.SetPeerReads(services, reads, fresh, Clock::now());
        });
  }
  // With [second_chance]: packets this node cannot serve go to UP peers.
  std::unique_ptr<SecondChance> second_chance;
  if (config.second_chance) {
    auto started = SecondChance::Start(config, model, *peers);
    if (!started) {
      spdlog::error("{}", started.error());
      return 1;
    }
    second_chance = std::move(started).value();
  }
  const std::string agent_check_on =
      agent_check ? ", agent-check on " + config.agent.agent_check_listen->ToString() : "";
  events.Emit(Event{.action = "agent-start",
                    .subject = "rsagent " + options.version,
                    .reason = "serving health on " + config.agent.listen.ToString() +
                              agent_check_on + " (" + std::to_string(config.probes.size()) +
                              " probes, " + std::to_string(config.services.size()) +
                              " services, config " + config.source + ")"});
  // Last: from here on a reload may change `config` from the socket's thread.
  auto control = ControlServer::Start(
      config.agent.control_socket,
      [&admin](const ControlRequest& request) { return admin.Handle(request); });
  if (!control) {
    spdlog::error("{}", control.error());
    return 1;
  }

  std::jthread ticker([&model, &events](std::stop_token stop) {
    std::string last_error;
    for (int tick = 0; SleepUnlessStopped(stop, kRefreshEvery); ++tick) {
      const auto current = model.Current();
      const bool weights_need_load =
          std::any_of(current->services.begin(), current->services.end(),
                      [](const ServiceView& s) { return s.weighs_by_load; });
      if (tick % (weights_need_load ? kLoadEveryRefreshes : kLoadIdleEveryRefreshes) != 0) {
        model.Refresh(Clock::now());
      } else {
        std::string error;
        LoadSample load = SampleLoad(*current, kLoadTimeout, &error);
        if (!error.empty() && error != last_error) spdlog::warn("connection count: {}", error);
        last_error = error;
        model.SetLoad(std::move(load), Clock::now());
      }
      events.Flush();  // what the flood bound held back, once it allows
      if (tick % kTrimEveryRefreshes == 0) malloc_trim(0);
    }
  });

  // Signals, and verify-only DR checks: nothing else wakes this thread.
  std::chrono::milliseconds dr_wait(0);
  for (;;) {
    const int sig = WaitSignal(signals, dr_wait);
    {
      std::lock_guard lock(dr_mu);
      dr_wait = (*dr)->Tick();
    }
    if (sig == SIGHUP) {
      (void)admin.Reload();  // logs its outcome
    } else if (sig == SIGTERM || sig == SIGINT) {
      break;
    }
  }

  // Turn every verdict DOWN first and keep answering, so the directors stop
  // sending new connections before the health port disappears. VIPs stay:
  // removing them would break flows still in progress.
  model.SetShuttingDown(Clock::now());
  const auto grace = [&] {
    std::lock_guard lock(dr_mu);  // a reload may be changing `config`
    return config.agent.shutdown_grace;
  }();
  const auto step = [&events](const std::string& what) {
    events.Emit(Event{.action = "shutdown", .subject = "shutdown", .reason = what});
  };
  step("answering DOWN for " + conf::FormatDuration(grace) +
       " so the directors drain this node (send the signal again to exit now)");
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const int sig = WaitSignal(signals, std::max(left, std::chrono::milliseconds(1)));
    if (sig == SIGTERM || sig == SIGINT) {
      step("second signal: exiting now");
      break;
    }
  }
  (*dr)->OnStop();
  ticker.request_stop();
  ticker.join();
  events.Flush();
  step("stopped");
  return 0;
}

}  // namespace rsagent::agent
