// The running agent's claim on its state_dir. Claimed at start, before
// anything is written or set up, with an exclusive flock on
// state_dir/rsagent.lock held for the agent's whole life. Persisted admin
// state is written only through a claim (OverrideStore holds one), so a
// second `rsagent run` — which fails here — never rewrites the running
// agent's overrides.
//
// Claiming also checks the directory's trust (trusted_dir.h: owned by the
// agent's user, writable by no one else) and that it can be written: a
// read-only or full file system is an error at start, not at the first drain.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "common/socket.h"

namespace rsagent::agent {

class StateDir {
 public:
  // `owner` is the agent's effective uid (0 outside tests).
  static Result<StateDir> Claim(const std::string& path, uid_t owner = 0);

  const std::string& path() const { return path_; }
  int dir_fd() const { return dir_.get(); }  // for the *at() calls that write in it

 private:
  StateDir(std::string path, UniqueFd dir, UniqueFd lock)
      : path_(std::move(path)), dir_(std::move(dir)), lock_(std::move(lock)) {}

  std::string path_;
  UniqueFd dir_;
  UniqueFd lock_;  // holds the flock until destroyed
};

}  // namespace rsagent::agent
