// A netlink subscription to address and link changes. It reports only that
// something changed (or that the kernel dropped notifications): the caller
// then re-reads the full state, which is simpler and never misses a change.
#pragma once

#include <chrono>
#include <memory>

#include "common/result.h"

struct nl_sock;

namespace rsagent::netsetup {

class AddressWatch {
 public:
  enum class Event {
    kTimeout,  // nothing happened
    kChanged,  // one or more address/link notifications
    kOverrun,  // the socket buffer overflowed (ENOBUFS): notifications were lost
  };

  static Result<std::unique_ptr<AddressWatch>> Open();
  ~AddressWatch();
  AddressWatch(const AddressWatch&) = delete;
  AddressWatch& operator=(const AddressWatch&) = delete;

  // Waits at most `timeout`, then drains every pending notification.
  Result<Event> Wait(std::chrono::milliseconds timeout);

 private:
  explicit AddressWatch(nl_sock* sock) : sock_(sock) {}
  nl_sock* sock_;
};

}  // namespace rsagent::netsetup
