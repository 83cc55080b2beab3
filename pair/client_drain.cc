#include "pair/client_drain.h"

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace rsagent::pair {

namespace {

using std::chrono::milliseconds;

constexpr size_t kNamed = 3;  // connections named in a refusal
constexpr milliseconds kListTimeout{200};

std::string Ms(Clock::duration d) {
  return std::to_string(std::chrono::duration_cast<milliseconds>(d).count()) + " ms";
}

std::string Describe(const netsetup::TcpSocket& s) {
  std::string text = s.peer.ToString() + " " + netsetup::TcpStateName(s.state);
  if (s.has_info) text += " idle " + Ms(s.idle);
  return text;
}

std::string Connections(const std::vector<netsetup::TcpSocket>& open) {
  std::string text;
  for (size_t i = 0; i < open.size() && i < kNamed; ++i) {
    if (i > 0) text += ", ";
    text += Describe(open[i]);
  }
  if (open.size() > kNamed) text += " and " + std::to_string(open.size() - kNamed) + " more";
  return text;
}

}  // namespace

ClientDrain WaitForClientsGone(const ClientDrainWait& wait, const Endpoint& clients,
                               milliseconds quiet, Clock::time_point deadline) {
  const std::string where = clients.ToString();
  const Clock::time_point start = wait.now();
  Clock::time_point last_seen = start;  // the quiet window starts with the drain
  std::optional<Clock::time_point> last_new;
  std::unordered_set<uint64_t> seen;
  std::optional<netsetup::TcpSocket> unreachable;  // the last one ignored
  for (;;) {
    auto open = wait.list();
    const Clock::time_point now = wait.now();
    if (!open.ok()) {
      return {false, "cannot list the client connections to " + where + ": " + open.error()};
    }
    std::vector<netsetup::TcpSocket> live = *open;
    std::erase_if(live, [&](const netsetup::TcpSocket& s) {
      if (!netsetup::PeerStoppedAnswering(s, quiet)) return false;
      unreachable = s;
      return true;
    });
    for (const netsetup::TcpSocket& s : live) {
      if (seen.insert(s.cookie).second) last_new = now;
    }
    if (!live.empty()) {
      last_seen = now;
    } else if (now - last_seen >= quiet) {
      std::string detail = "no client connection to " + where + " for " + Ms(now - last_seen);
      if (!seen.empty()) {
        detail += " (" + std::to_string(seen.size()) + " seen since the drain began, the last " +
                  Ms(last_seen - start) + " in)";
      }
      if (unreachable) {
        detail +=
            "; ignored a connection whose client stopped answering: " + Describe(*unreachable) +
            ", " + netsetup::Unanswered(*unreachable) + ", nothing from it for " +
            Ms(unreachable->unheard);
      }
      return {true, detail};
    }
    if (now >= deadline) {
      const bool arriving = last_new && now - *last_new < quiet;
      std::string why;
      if (live.empty()) {
        why =
            "client connections to " + where + " kept coming until " + Ms(now - last_seen) + " ago";
      } else {
        why = std::to_string(live.size()) + " client connection" + (live.size() == 1 ? "" : "s") +
              " to " + where + " still open after " + Ms(now - start) + ": " + Connections(live);
      }
      why += arriving ? "; new ones still arrive (the last " + Ms(now - *last_new) +
                            " ago): a director still sends clients here — is its check "
                            "interval longer than switchover_drain?"
                      : "; pooled connections keep going to this server: close or "
                        "recycle "
                        "them, then retry";
      return {false, why};
    }
    wait.sleep(std::min<milliseconds>(
        wait.poll,
        std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(deadline - now))));
  }
}

Result<std::vector<netsetup::TcpSocket>> ListClientConnections(const Endpoint& clients) {
  netsetup::TcpSocketFilter filter;
  filter.local_address = clients.address;
  filter.local_port = clients.port;
  return netsetup::ListTcpSockets(filter, kListTimeout);
}

}  // namespace rsagent::pair
