#include "netsetup/net_admin.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace rsagent::netsetup {

Status RequireNetAdmin() {
  // capget(2) directly: one syscall is not worth a dependency on libcap.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) {
    return Error{std::string("cannot read capabilities: ") + std::strerror(errno)};
  }
  if ((data[CAP_NET_ADMIN / 32].effective & (1u << (CAP_NET_ADMIN % 32))) == 0) {
    return Error{"needs root or CAP_NET_ADMIN"};
  }
  return Status::Ok();
}

}  // namespace rsagent::netsetup
