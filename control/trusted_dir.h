// Directories that hold root's admin state or its control socket: nobody
// but their owner may be able to replace what is in them. A directory is
// trusted when it is owned by the agent's user and writable by no one else
// (a sticky shared directory such as /tmp only where the caller allows it),
// and so is every directory above it (owned by root or the agent's user;
// group/world-writable only with the sticky bit). Errors name the path, what
// is wrong and the errno.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace rsagent::agent {

struct TrustedDirOptions {
  mode_t mode = 0750;         // for a directory created here (parents get 0755)
  uid_t owner = 0;            // the agent's effective uid; 0 outside tests
  bool allow_sticky = false;  // accept a group/world-writable leaf with the sticky bit
  const char* what = "";      // "state_dir", "control socket directory": for errors
};

// Creates `path` (and missing parents) when absent; an existing directory is
// never chmod-ed, only checked. `path` must be absolute.
Status EnsureTrustedDir(const std::string& path, const TrustedDirOptions& options);

}  // namespace rsagent::agent
