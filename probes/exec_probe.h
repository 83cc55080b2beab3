// Runs a command (argv, or /bin/sh -c with shell=true); exit 0 passes. The
// first non-empty line of its combined stdout+stderr is the reason, so
// existing check scripts (the seed's check_multi_port.sh) run unchanged.
//
// The command runs with stdin on /dev/null, blocking stdout/stderr and no
// other inherited fds, under its own subreaper (probes/contained_command.h):
// on the deadline, and also when the command exits, it and every descendant
// (setsid()'d or double-forked ones included) are killed with SIGKILL, so
// neither a hung script nor a background grandchild holding the output pipe
// can stall the probe or outlive the attempt.
#pragma once

#include <string>
#include <vector>

#include "probes/probe.h"

namespace rsagent::conf {
class TableReader;
}

namespace rsagent::probes {

// [probe.NAME] type = "exec"
struct ExecProbeSpec {
  // argv, run without a shell (at least argv[0]); with shell = true, exactly
  // one command string for /bin/sh -c.
  std::vector<std::string> command;
  bool shell = false;
  friend bool operator==(const ExecProbeSpec&, const ExecProbeSpec&) = default;
  static ExecProbeSpec Read(conf::TableReader& table);  // reports every problem into `table`
};

class ExecProbe : public Probe {
 public:
  explicit ExecProbe(const ExecProbeSpec& spec);
  // `argv` is run as is: argv[0] is looked up in PATH unless it has a '/'.
  explicit ExecProbe(std::vector<std::string> argv) : argv_(std::move(argv)) {}
  ProbeResult Attempt(Clock::time_point deadline) override;

 private:
  std::vector<std::string> argv_;
};

}  // namespace rsagent::probes
