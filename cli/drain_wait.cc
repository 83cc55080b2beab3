#include "cli/drain_wait.h"

#include <map>
#include <ostream>
#include <set>
#include <thread>

#include "cli/text_table.h"
#include "common/clock.h"

namespace rsagent::agent {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kQueryTimeout{2000};

std::string Bytes(uint64_t n) {
  if (n < 10 * 1024) return std::to_string(n) + " B";
  if (n < 10 * 1024 * 1024) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n / (1024 * 1024)) + " MiB";
}

// "850ms", "12.3s", "4m05s": for people reading progress.
std::string Human(milliseconds d) {
  const int64_t ms = d.count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60000) {
    return std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 100) + "s";
  }
  const int64_t s = ms / 1000;
  return std::to_string(s / 60) + "m" + (s % 60 < 10 ? "0" : "") + std::to_string(s % 60) + "s";
}

milliseconds Since(Clock::time_point t, Clock::time_point now) {
  return std::chrono::duration_cast<milliseconds>(now - t);
}

std::string Describe(const DrainTarget& t) {
  return (t.vip ? t.vip->ToString() : "*") + ":" + std::to_string(t.port);
}

}  // namespace

SocketLister SockDiagLister() {
  return [](const netsetup::TcpSocketFilter& filter) {
    return netsetup::ListTcpSockets(filter, kQueryTimeout);
  };
}

int WaitForDrain(const std::vector<DrainTarget>& targets, const DrainWaitOptions& options,
                 const SocketLister& list, std::ostream& out, std::ostream& err) {
  const Clock::time_point start = Clock::now();
  // The kernel keeps no creation time for a socket: a connection's age is
  // counted from when this wait first saw it ("≥" for those open at the start).
  std::map<uint64_t, Clock::time_point> first_seen;
  std::map<std::string, size_t> last_count;
  std::set<uint64_t> named_silent;
  for (bool first = true;; first = false) {
    const Clock::time_point now = first ? start : Clock::now();
    std::vector<std::pair<const DrainTarget*, netsetup::TcpSocket>> open;
    size_t silent = 0;  // open, but their clients stopped answering
    for (const DrainTarget& t : targets) {
      auto sockets =
          list({.states = netsetup::kServedStates, .local_address = t.vip, .local_port = t.port});
      if (!sockets) {
        err << "rsagent drain: " << t.service << ": " << sockets.error() << "\n";
        return 1;
      }
      // A client that stopped answering cannot write: named once, not waited for.
      std::vector<netsetup::TcpSocket> served = *sockets;
      std::erase_if(served, [&](const netsetup::TcpSocket& s) {
        if (!netsetup::PeerStoppedAnswering(s, options.unanswered)) return false;
        ++silent;
        if (named_silent.insert(s.cookie).second) {
          out << t.service << ": not waiting for " << s.peer.ToString() << " ("
              << netsetup::TcpStateName(s.state) << "): the client stopped answering ("
              << netsetup::Unanswered(s) << ", nothing from it for " << Human(s.unheard) << ")\n"
              << std::flush;
        }
        return true;
      });
      auto it = last_count.find(t.service);
      if (it == last_count.end() || it->second != served.size()) {
        out << t.service << ": " << served.size() << " connection"
            << (served.size() == 1 ? "" : "s") << " on " << Describe(t) << " after "
            << Human(Since(start, now)) << "\n"
            << std::flush;
        last_count[t.service] = served.size();
      }
      for (const netsetup::TcpSocket& s : served) {
        first_seen.try_emplace(s.cookie, now);
        open.emplace_back(&t, s);
      }
    }
    if (open.empty()) {
      out << "drained: no connection left after " << Human(Since(start, now));
      if (silent > 0) {
        out << " but " << silent << " whose client stopped answering";
      }
      out << "\n";
      return 0;
    }
    if (now - start >= options.timeout) {
      out << "timed out after " << Human(options.timeout) << ": " << open.size() << " connection"
          << (open.size() == 1 ? "" : "s") << " still open\n";
      TextTable table({"SERVICE", "PEER", "LOCAL", "STATE", "AGE", "IDLE", "RECEIVED", "SENT"});
      for (const auto& [t, s] : open) {
        const Clock::time_point seen = first_seen[s.cookie];
        const std::string age = (seen == start ? ">=" : "") + Human(Since(seen, now));
        table.AddRow({t->service, s.peer.ToString(), s.local.ToString(),
                      netsetup::TcpStateName(s.state), age, s.has_info ? Human(s.idle) : "-",
                      s.has_info ? Bytes(s.bytes_received) : "-",
                      s.has_info ? Bytes(s.bytes_acked) : "-"});
      }
      out << table.Render();
      return 1;
    }
    std::this_thread::sleep_for(std::min(options.poll, options.timeout - Since(start, now)));
  }
}

}  // namespace rsagent::agent
