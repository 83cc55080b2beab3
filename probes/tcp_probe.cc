#include "probes/tcp_probe.h"

#include <poll.h>

#include <cerrno>
#include <optional>
#include <string>

#include "common/socket.h"
#include "conf/toml_reader.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

namespace {

// One target's connect in flight; `error` is set once it failed.
struct TargetConnect {
  UniqueFd fd;
  bool connected = false;
  std::optional<std::string> error;
  bool refused = false;  // nothing listens: the service is not running
};

}  // namespace

ProbeResult TcpProbe::Attempt(Clock::time_point deadline) {
  const auto start = Clock::now();
  std::vector<TargetConnect> attempts(targets_.size());
  for (size_t i = 0; i < targets_.size(); ++i) {
    auto fd = StartConnect(targets_[i]);
    if (fd.ok()) {
      attempts[i].fd = std::move(fd).value();
    } else {
      attempts[i].error = fd.error();
    }
  }

  // Poll every pending connect until all finished or the deadline passed.
  while (true) {
    std::vector<pollfd> pending;
    std::vector<size_t> index;
    for (size_t i = 0; i < attempts.size(); ++i) {
      if (attempts[i].connected || attempts[i].error) continue;
      pending.push_back({attempts[i].fd.get(), POLLOUT, 0});
      index.push_back(i);
    }
    if (pending.empty()) break;
    int n = poll(pending.data(), pending.size(), MillisUntil(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Failed(start, "poll: " + ErrnoText(errno));
    }
    if (n == 0) {
      for (size_t i : index) attempts[i].error = "timed out after " + FormatMillis(deadline - start);
      break;
    }
    for (size_t k = 0; k < pending.size(); ++k) {
      if (pending[k].revents == 0) continue;
      TargetConnect& attempt = attempts[index[k]];
      if (Status done = FinishConnect(attempt.fd.get()); done.ok()) {
        attempt.connected = true;
      } else {
        attempt.error = done.error();
        attempt.refused = done.error() == ErrnoText(ECONNREFUSED);
      }
    }
  }

  for (size_t i = 0; i < attempts.size(); ++i) {
    if (!attempts[i].error) continue;
    ProbeResult failed = Failed(start, targets_[i].ToString() + ": " + *attempts[i].error);
    failed.outcome.gone = attempts[i].refused;
    return failed;
  }
  return Passed(start, std::to_string(targets_.size()) + " ports open");
}

TcpProbeSpec TcpProbeSpec::Read(conf::TableReader& table) {
  TcpProbeSpec spec;
  table.Require("targets", "a list of \"IP:PORT\" that must all accept a connection");
  if (auto v = table.ParsedList<Endpoint>("targets", Endpoint::Parse)) {
    if (v->empty()) {
      table.ErrorAt(table.Node("targets")->source(), table.KeyPath("targets"),
                    "must list at least one \"IP:PORT\"");
    }
    spec.targets = *v;
  }
  return spec;
}

}  // namespace rsagent::probes
