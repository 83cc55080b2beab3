// spdlog set-up. Under systemd (stderr is the journal) lines are plain, with
// no timestamp: journald adds its own.
#pragma once

#include <string>

namespace rsagent::agent {

void SetupLogging(const std::string& level);

// True when stderr is connected to journald ($JOURNAL_STREAM matches fd 2).
bool StderrIsJournal();

}  // namespace rsagent::agent
