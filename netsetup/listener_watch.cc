#include "netsetup/listener_watch.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>

#include "netsetup/sock_diag.h"

namespace rsagent::netsetup {
namespace {

// Offset of the peer port in a report: nlmsghdr, then inet_diag_msg.
constexpr uint32_t kPeerPortOffset =
    NLMSG_HDRLEN + offsetof(inet_diag_msg, id) + offsetof(inet_diag_sockid, idiag_dport);

// Classic BPF run by the kernel on each report: keep those with peer port 0
// (listeners, and sockets that never connected), drop connections.
Status AttachListenerFilter(int fd) {
  static sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kPeerPortOffset),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, 0xffff),
      BPF_STMT(BPF_RET | BPF_K, 0),
  };
  sock_fprog program{.len = std::size(code), .filter = code};
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof program) < 0) {
    return Error{"sock_diag: attach filter: " + ErrnoText(errno)};
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<ListenerWatch>> ListenerWatch::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_SOCK_DIAG));
  if (!fd.valid()) return Error{"sock_diag: socket: " + ErrnoText(errno)};
  RETURN_IF_ERROR(AttachListenerFilter(fd.get()));
  const int buffer = 1 << 20;  // a burst: a server with many listeners stopping
  (void)setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) < 0) {
    return Error{"sock_diag: bind: " + ErrnoText(errno)};
  }
  for (int group : {SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY}) {
    if (setsockopt(fd.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
      return Error{"sock_diag: subscribe to destroyed TCP sockets (needs CAP_NET_ADMIN): " +
                   ErrnoText(errno)};
    }
  }
  UniqueFd interrupt(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!interrupt.valid()) return Error{"sock_diag: eventfd: " + ErrnoText(errno)};
  return std::unique_ptr<ListenerWatch>(new ListenerWatch(std::move(fd), std::move(interrupt)));
}

void ListenerWatch::Interrupt() {
  const uint64_t one = 1;
  (void)!write(interrupt_.get(), &one, sizeof one);
}

Result<ListenerWatch::Event> ListenerWatch::Wait(std::chrono::milliseconds timeout) {
  Event event;
  pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {interrupt_.get(), POLLIN, 0}};
  const int ready = poll(fds, 2, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return event;
    return Error{"sock_diag: poll: " + ErrnoText(errno)};
  }
  if (ready == 0 || (fds[1].revents & POLLIN) != 0) return event;
  std::vector<uint8_t> buf(32768);  // new[]'s alignment suits nlmsghdr
  for (;;) {
    const ssize_t n = recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        event.overrun = true;
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return event;
      return Error{"sock_diag: receive: " + ErrnoText(errno)};
    }
    int left = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(nlh, left);
         nlh = NLMSG_NEXT(nlh, left)) {
      if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
          nlh->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) {
        continue;
      }
      const TcpSocket socket = ParseTcpSocket(nlh);
      if (socket.peer.port != 0) continue;  // the filter already dropped these
      if (std::find(event.ports.begin(), event.ports.end(), socket.local.port) ==
          event.ports.end()) {
        event.ports.push_back(socket.local.port);
      }
    }
  }
}

}  // namespace rsagent::netsetup
