// A command whose every descendant dies with it. A process group is not
// enough: a script's grandchild that calls setsid() leaves the group, and one
// whose parent exited first is reparented to init (issue 12 measured 354
// leaked in 25 minutes). So the command runs under a "keeper": a forked copy
// of the agent that makes itself a child subreaper (PR_SET_CHILD_SUBREAPER),
// so every orphan below it becomes its child, and that kills and reaps all of
// them when the command exits or the agent ends the attempt. This needs no
// privilege, unlike a cgroup (the shipped unit has ProtectControlGroups=yes
// and no Delegate=), and attributes each orphan to its own attempt, unlike
// making the agent itself the subreaper.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/socket.h"

namespace rsagent::probes {

class ContainedCommand {
 public:
  // Starts `argv` (argv[0] looked up in PATH unless it has a '/') with stdin
  // on /dev/null, stdout and stderr on `output_fd` (blocking, whatever the
  // agent's end is), default signal dispositions, an empty signal mask and
  // no other inherited descriptor.
  static Result<ContainedCommand> Start(const std::vector<std::string>& argv, int output_fd);

  ContainedCommand(ContainedCommand&& other) noexcept;
  ContainedCommand& operator=(ContainedCommand&&) = delete;
  ~ContainedCommand();  // as End(): nothing outlives the object

  // Readable (POLLIN) once the command has exited and its descendants are gone.
  int done_fd() const { return pidfd_.get(); }

  struct Exit {
    std::optional<int> wait_status;  // the command's, when it exited by itself
    int exec_error = 0;              // errno when the command could not be run
    bool stuck = false;              // the keeper did not finish within the grace period
  };
  // Kills the command (if still running) and every descendant, and reaps
  // the keeper. Called once.
  Exit End();

 private:
  ContainedCommand(pid_t keeper, UniqueFd pidfd, UniqueFd lifeline, UniqueFd report)
      : keeper_(keeper),
        pidfd_(std::move(pidfd)),
        lifeline_(std::move(lifeline)),
        report_(std::move(report)) {}

  pid_t keeper_ = -1;
  UniqueFd pidfd_;     // of the keeper
  UniqueFd lifeline_;  // closing it tells the keeper to kill everything
  UniqueFd report_;    // what the keeper and the command report
};

}  // namespace rsagent::probes
