// TCP sockets of this network namespace, listed through sock_diag netlink
// (NETLINK_SOCK_DIAG, inet_diag_req_v2). The kernel does the filtering (states
// as a bit mask, the local port in the request, the local address as a
// bytecode condition), so a query costs the matching sockets, not a walk of
// /proc/net/tcp. Works without privileges for the caller's namespace.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"

struct nlmsghdr;

namespace rsagent::netsetup {

// The kernel's TCP states (include/net/tcp_states.h), numbered as it does.
enum class TcpState : uint8_t {
  kEstablished = 1,
  kSynSent,
  kSynRecv,
  kFinWait1,
  kFinWait2,
  kTimeWait,
  kClose,
  kCloseWait,
  kLastAck,
  kListen,
  kClosing,
  kNewSynRecv,  // the kernel reports these as kSynRecv
};
const char* TcpStateName(TcpState state);  // "ESTABLISHED", "SYN-RECV", ...

using TcpStateMask = uint32_t;
constexpr TcpStateMask Bit(TcpState state) { return 1u << static_cast<unsigned>(state); }

// Connections an application still serves: established, half-open in the
// handshake, or closed by the peer while the application may still write.
constexpr TcpStateMask kServedStates =
    Bit(TcpState::kEstablished) | Bit(TcpState::kSynRecv) | Bit(TcpState::kCloseWait);

struct TcpSocketFilter {
  TcpStateMask states = kServedStates;
  // Matches IPv4-mapped addresses of AF_INET6 sockets too. Unset: any
  // address, both families.
  std::optional<IpAddress> local_address;
  uint16_t local_port = 0;  // 0: any
};

struct TcpSocket {
  TcpState state = TcpState::kClose;
  Endpoint local;
  Endpoint peer;
  uint64_t cookie = 0;  // the kernel's id of the socket, stable for its lifetime
  uint32_t inode = 0;   // 0 for sockets no process holds (SYN-RECV, TIME-WAIT)
  uint32_t uid = 0;
  // Receive queue and send queue in bytes; for a listener, the accept queue
  // length and its backlog.
  uint32_t rx_queue = 0;
  uint32_t tx_queue = 0;
  // From tcp_info, when the kernel reports it (not for SYN-RECV, TIME-WAIT).
  bool has_info = false;
  uint64_t bytes_received = 0;
  uint64_t bytes_acked = 0;           // sent and acknowledged by the peer
  std::chrono::milliseconds idle{0};  // since data last moved either way
  // Timeouts in a row the peer answered nothing to (tcpi_retransmits), probes
  // it left unanswered (tcpi_probes: of its closed receive window, or
  // keepalive), and the time since it last sent anything, an ACK included: a
  // peer that stays silent while this side retransmits or probes cannot be
  // reached (e.g. a director that dropped the flow: in DR the real server
  // never learns of it).
  uint8_t retransmits = 0;
  uint8_t probes = 0;
  std::chrono::milliseconds unheard{0};
};

// Whether this side has been retransmitting or probing while the peer sent
// nothing, not even an ACK, for at least `silent_for`: the peer cannot be
// reached, so it cannot write either (in DR, a flow the director dropped or a
// client that vanished: the server keeps it for up to tcp_retries2, ~15
// min). An idle connection with nothing unacknowledged is never one, nor a
// slow reader (it acknowledges the probes of its closed window): they may
// still write.
bool PeerStoppedAnswering(const TcpSocket& socket, std::chrono::milliseconds silent_for);

// What went unanswered, for messages: "6 retransmission timeouts",
// "3 window/keepalive probes", or both joined by "and".
std::string Unanswered(const TcpSocket& socket);

// One SOCK_DIAG_BY_FAMILY message (a dump's answer or a destroy report;
// nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg))) as a socket.
TcpSocket ParseTcpSocket(const nlmsghdr* message);

// Every socket matching `filter`, or an error naming the failed step. The
// whole query gives up after `timeout`.
Result<std::vector<TcpSocket>> ListTcpSockets(const TcpSocketFilter& filter,
                                              std::chrono::milliseconds timeout);

}  // namespace rsagent::netsetup
