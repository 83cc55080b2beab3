#include "netsetup/sock_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/socket.h"

namespace rsagent::netsetup {
namespace {

using std::chrono::milliseconds;

// One bytecode instruction: the local address equals `address`. Laid out as
// the kernel reads it: inet_diag_bc_op, inet_diag_hostcond, the address bytes.
std::vector<uint8_t> AddressBytecode(const IpAddress& address) {
  // inet_diag_bc_run: `yes` steps to the end (accept), `no` past it (reject).
  const size_t size = sizeof(inet_diag_bc_op) + sizeof(inet_diag_hostcond) + address.size();
  inet_diag_bc_op op{};
  op.code = INET_DIAG_BC_S_COND;  // S = source = the local side
  op.yes = static_cast<uint8_t>(size);
  op.no = static_cast<uint16_t>(size + 4);
  inet_diag_hostcond cond{};
  cond.family = static_cast<uint8_t>(address.family());
  cond.prefix_len = static_cast<uint8_t>(address.max_prefix());
  cond.port = -1;  // the port is filtered by the request itself
  std::vector<uint8_t> code(size);
  std::memcpy(code.data(), &op, sizeof op);
  std::memcpy(code.data() + sizeof op, &cond, sizeof cond);
  std::memcpy(code.data() + sizeof op + sizeof cond, address.bytes(), address.size());
  return code;
}

std::vector<uint8_t> BuildRequest(int family, const TcpSocketFilter& filter, uint32_t seq) {
  std::vector<uint8_t> bytecode;
  if (filter.local_address) bytecode = AddressBytecode(*filter.local_address);
  const size_t attr_len = bytecode.empty() ? 0 : NLA_HDRLEN + bytecode.size();
  const size_t total = NLMSG_LENGTH(sizeof(inet_diag_req_v2)) + NLA_ALIGN(attr_len);
  std::vector<uint8_t> buf(total, 0);

  auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data());
  nlh->nlmsg_len = static_cast<uint32_t>(total);
  nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  nlh->nlmsg_seq = seq;

  auto* req = reinterpret_cast<inet_diag_req_v2*>(NLMSG_DATA(nlh));
  req->sdiag_family = static_cast<uint8_t>(family);
  req->sdiag_protocol = IPPROTO_TCP;
  req->idiag_states = filter.states;
  req->idiag_ext = 1 << (INET_DIAG_INFO - 1);
  req->id.idiag_sport = htons(filter.local_port);  // 0 = any; dumps honour it
  req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

  if (!bytecode.empty()) {
    auto* attr = reinterpret_cast<nlattr*>(buf.data() + NLMSG_LENGTH(sizeof(inet_diag_req_v2)));
    attr->nla_type = INET_DIAG_REQ_BYTECODE;
    attr->nla_len = static_cast<uint16_t>(attr_len);
    std::memcpy(reinterpret_cast<uint8_t*>(attr) + NLA_HDRLEN, bytecode.data(), bytecode.size());
  }
  return buf;
}

// An AF_INET6 socket's IPv4-mapped address (::ffff:a.b.c.d) as the IPv4
// address it stands for.
IpAddress KernelAddress(int family, const uint32_t* words) {
  if (family == AF_INET6 && words[0] == 0 && words[1] == 0 && words[2] == htonl(0xffff)) {
    return IpAddress::FromBytes(AF_INET, &words[3]);
  }
  return IpAddress::FromBytes(family, words);
}

}  // namespace

bool PeerStoppedAnswering(const TcpSocket& socket, std::chrono::milliseconds silent_for) {
  return socket.has_info && (socket.retransmits > 0 || socket.probes > 0) &&
         socket.unheard >= silent_for;
}

std::string Unanswered(const TcpSocket& socket) {
  std::string text;
  if (socket.retransmits > 0) {
    text = std::to_string(socket.retransmits) + " retransmission timeout" +
           (socket.retransmits == 1 ? "" : "s");
  }
  if (socket.probes > 0) {
    text += (text.empty() ? "" : " and ") + std::to_string(socket.probes) +
            " window/keepalive probe" + (socket.probes == 1 ? "" : "s");
  }
  return text;
}

TcpSocket ParseTcpSocket(const nlmsghdr* nlh) {
  const auto* msg = reinterpret_cast<const inet_diag_msg*>(NLMSG_DATA(nlh));
  TcpSocket s;
  s.state = static_cast<TcpState>(msg->idiag_state);
  const int family = msg->idiag_family;
  s.local = {KernelAddress(family, msg->id.idiag_src), ntohs(msg->id.idiag_sport)};
  s.peer = {KernelAddress(family, msg->id.idiag_dst), ntohs(msg->id.idiag_dport)};
  s.cookie = uint64_t{msg->id.idiag_cookie[1]} << 32 | msg->id.idiag_cookie[0];
  s.inode = msg->idiag_inode;
  s.uid = msg->idiag_uid;
  s.rx_queue = msg->idiag_rqueue;
  s.tx_queue = msg->idiag_wqueue;

  int len = static_cast<int>(nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*msg)));
  const auto* attr = reinterpret_cast<const nlattr*>(reinterpret_cast<const uint8_t*>(msg) +
                                                     NLMSG_ALIGN(sizeof(*msg)));
  for (; len >= NLA_HDRLEN && attr->nla_len >= NLA_HDRLEN && attr->nla_len <= len;
       len -= NLA_ALIGN(attr->nla_len),
       attr = reinterpret_cast<const nlattr*>(reinterpret_cast<const uint8_t*>(attr) +
                                              NLA_ALIGN(attr->nla_len))) {
    if ((attr->nla_type & NLA_TYPE_MASK) != INET_DIAG_INFO) continue;
    // Older kernels send a shorter tcp_info: the missing tail stays zero.
    tcp_info info{};
    std::memcpy(&info, reinterpret_cast<const uint8_t*>(attr) + NLA_HDRLEN,
                std::min<size_t>(attr->nla_len - NLA_HDRLEN, sizeof info));
    s.has_info = true;
    s.bytes_received = info.tcpi_bytes_received;
    s.bytes_acked = info.tcpi_bytes_acked;
    s.idle = milliseconds(std::min(info.tcpi_last_data_recv, info.tcpi_last_data_sent));
    s.retransmits = info.tcpi_retransmits;
    s.probes = info.tcpi_probes;
    s.unheard = milliseconds(info.tcpi_last_ack_recv);
  }
  return s;
}

namespace {

// One dump for one family, appended to `out`.
Status Dump(int fd, int family, const TcpSocketFilter& filter, uint32_t seq,
            Clock::time_point deadline, std::vector<TcpSocket>& out) {
  const std::vector<uint8_t> request = BuildRequest(family, filter, seq);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof kernel) < 0) {
    return Error{"sock_diag: send: " + ErrnoText(errno)};
  }
  std::vector<uint8_t> buf(32768);  // new[]'s alignment suits nlmsghdr
  for (;;) {
    if (Status ready = WaitFd(fd, POLLIN, deadline); !ready) {
      return Error{"sock_diag: " + ready.error()};
    }
    const ssize_t n = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return Error{"sock_diag: receive: " + ErrnoText(errno)};
    }
    int left = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(nlh, left);
         nlh = NLMSG_NEXT(nlh, left)) {
      if (nlh->nlmsg_seq != seq) continue;
      if (nlh->nlmsg_type == NLMSG_DONE) return Status::Ok();
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        const auto* err = reinterpret_cast<const nlmsgerr*>(NLMSG_DATA(nlh));
        return Error{"sock_diag: the kernel refused the query: " + ErrnoText(-err->error)};
      }
      if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
          nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(inet_diag_msg))) {
        out.push_back(ParseTcpSocket(nlh));
      }
    }
  }
}

}  // namespace

const char* TcpStateName(TcpState state) {
  switch (state) {
    case TcpState::kEstablished:
      return "ESTABLISHED";
    case TcpState::kSynSent:
      return "SYN-SENT";
    case TcpState::kSynRecv:
      return "SYN-RECV";
    case TcpState::kFinWait1:
      return "FIN-WAIT-1";
    case TcpState::kFinWait2:
      return "FIN-WAIT-2";
    case TcpState::kTimeWait:
      return "TIME-WAIT";
    case TcpState::kClose:
      return "CLOSE";
    case TcpState::kCloseWait:
      return "CLOSE-WAIT";
    case TcpState::kLastAck:
      return "LAST-ACK";
    case TcpState::kListen:
      return "LISTEN";
    case TcpState::kClosing:
      return "CLOSING";
    case TcpState::kNewSynRecv:
      return "NEW-SYN-RECV";
  }
  return "UNKNOWN";
}

Result<std::vector<TcpSocket>> ListTcpSockets(const TcpSocketFilter& filter, milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
  if (!fd.valid()) return Error{"sock_diag: socket: " + ErrnoText(errno)};

  std::vector<TcpSocket> sockets;
  uint32_t seq = 1;
  // An IPv4 address also matches AF_INET6 sockets holding it IPv4-mapped
  // (a dual-stack listener); an IPv6 one only AF_INET6 sockets.
  for (int family : {AF_INET, AF_INET6}) {
    if (filter.local_address && !filter.local_address->is_v4() && family == AF_INET) continue;
    RETURN_IF_ERROR(Dump(fd.get(), family, filter, seq++, deadline, sockets));
  }
  return sockets;
}

}  // namespace rsagent::netsetup
