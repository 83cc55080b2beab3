// Whether this process may change addresses and network sysctls.
#pragma once

#include "common/result.h"

namespace rsagent::netsetup {

// Ok when CAP_NET_ADMIN is in the effective set (root has it).
Status RequireNetAdmin();

}  // namespace rsagent::netsetup
