#include "netsetup/address_watch.h"

#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace rsagent::netsetup {

Result<std::unique_ptr<AddressWatch>> AddressWatch::Open() {
  nl_sock* sock = nl_socket_alloc();
  if (sock == nullptr) return Error{"cannot allocate a netlink socket"};
  std::unique_ptr<AddressWatch> watch(new AddressWatch(sock));
  nl_socket_disable_seq_check(sock);
  if (int rc = nl_connect(sock, NETLINK_ROUTE); rc < 0) {
    return Error{std::string("netlink connect: ") + nl_geterror(rc)};
  }
  if (int rc = nl_socket_add_memberships(sock, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                                         RTNLGRP_LINK, 0);
      rc < 0) {
    return Error{std::string("netlink subscribe: ") + nl_geterror(rc)};
  }
  // Room for a burst (flushing many addresses); an overrun is still handled.
  if (int rc = nl_socket_set_buffer_size(sock, 1 << 20, 0); rc < 0) {
    return Error{std::string("netlink buffer size: ") + nl_geterror(rc)};
  }
  return watch;
}

AddressWatch::~AddressWatch() { nl_socket_free(sock_); }

Result<AddressWatch::Event> AddressWatch::Wait(std::chrono::milliseconds timeout) {
  const int fd = nl_socket_get_fd(sock_);
  pollfd pfd{fd, POLLIN, 0};
  const int ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return Event::kTimeout;
    return Error{std::string("poll on netlink: ") + std::strerror(errno)};
  }
  if (ready == 0) return Event::kTimeout;
  // The content does not matter (see the header), so read raw datagrams
  // until the socket is empty instead of parsing them.
  Event event = Event::kTimeout;
  std::array<char, 32768> buffer;
  for (;;) {
    const ssize_t n = recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      if (event == Event::kTimeout) event = Event::kChanged;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == ENOBUFS) {
      event = Event::kOverrun;
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Error{std::string("reading netlink: ") + std::strerror(errno)};
    }
    return event;
  }
}

}  // namespace rsagent::netsetup
