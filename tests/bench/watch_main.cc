// rsagent-bench-watch: polls a health URL on new connections until it answers
// the expected status, and prints when (wall clock, so run.sh can subtract
// the moment it injected a fault).
//
//   rsagent-bench-watch --target 127.0.0.1:9480 [--target ...] --path /health
//                       --until 503|any [--interval-ms 5] [--timeout-s 30]
//                       [--signal KILL|STOP --pids PID,PID...]
//
// Several --target: each is polled in turn (same path) until every one has
// answered; one output line per target, in the order given.
// With --signal, the watcher injects the fault itself: it first checks that
// the URL answers 200, then signals the PIDs and times from that moment, in
// the same process (no fork or start-up in the measured interval); it also
// prints elapsed_us, from the signal to the answer, on the steady clock.
// Exit 0 when seen, 1 on timeout, 3 when the URL was not 200 before the fault.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/check_client.h"

namespace rsagent::bench {
namespace {

struct Options {
  std::vector<Endpoint> targets;
  std::string path = "/health";
  int until = 0;  // 0 = any HTTP answer
  int interval_ms = 5;
  double timeout_s = 30;
  int signal = 0;  // 0 = the caller injects the fault
  std::vector<pid_t> pids;
};

Result<int> ParseSignal(const std::string& name) {
  if (name == "KILL") return SIGKILL;
  if (name == "STOP") return SIGSTOP;
  return Error{"--signal " + name + ": KILL or STOP"};
}

Result<std::vector<pid_t>> ParsePids(const std::string& list) {
  std::vector<pid_t> pids;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    char* end = nullptr;
    const long pid = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || pid <= 1) return Error{"--pids: bad pid '" + item + "'"};
    pids.push_back(static_cast<pid_t>(pid));
    start = comma + 1;
  }
  return pids;
}

Result<Options> ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--target") {
      auto e = Endpoint::Parse(value);
      if (!e) return Error{e.error()};
      o.targets.push_back(*e);
    } else if (arg == "--path") {
      o.path = value;
    } else if (arg == "--until") {
      o.until = value == "any" ? 0 : std::atoi(value.c_str());
    } else if (arg == "--interval-ms") {
      o.interval_ms = std::atoi(value.c_str());
    } else if (arg == "--timeout-s") {
      o.timeout_s = std::atof(value.c_str());
    } else if (arg == "--signal") {
      auto s = ParseSignal(value);
      if (!s) return Error{s.error()};
      o.signal = *s;
    } else if (arg == "--pids") {
      auto p = ParsePids(value);
      if (!p) return Error{p.error()};
      o.pids = *p;
    } else {
      return Error{"unknown option " + arg};
    }
  }
  if (o.targets.empty()) return Error{"--target HOST:PORT is required"};
  if ((o.signal != 0) != !o.pids.empty()) return Error{"--signal and --pids go together"};
  return o;
}

long long WallNs() {
  return std::chrono::nanoseconds(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Seen {
  long long wall_ns = 0;  // 0 = not yet
  Clock::time_point at{};
  long polls = 0;
  int code = 0;
};

int Run(const Options& o) {
  Clock::time_point fault{};
  if (o.signal != 0) {
    for (const Endpoint& target : o.targets) {
      auto before = CheckOnNewConnection(target, o.path, Clock::now() + std::chrono::seconds(1));
      if (!before || *before != 200) {
        std::printf("seen_ns=0 polls=0 code=%d before_fault=1\n", before ? *before : 0);
        return 3;
      }
    }
    fault = Clock::now();
    for (pid_t pid : o.pids) kill(pid, o.signal);  // a pid already gone is no error here
  }
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.timeout_s));
  std::vector<Seen> seen(o.targets.size());
  size_t left = seen.size();
  while (left > 0 && Clock::now() < end) {
    for (size_t i = 0; i < o.targets.size(); ++i) {
      if (seen[i].wall_ns != 0) continue;
      ++seen[i].polls;
      auto code =
          CheckOnNewConnection(o.targets[i], o.path, Clock::now() + std::chrono::seconds(1));
      if (code && (o.until == 0 || *code == o.until)) {
        seen[i].at = Clock::now();
        seen[i].wall_ns = WallNs();
        seen[i].code = *code;
        --left;
      }
    }
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.interval_ms));
  }
  for (const Seen& s : seen) {
    std::printf("seen_ns=%lld polls=%ld code=%d", s.wall_ns, s.polls, s.code);
    if (o.signal != 0 && s.wall_ns != 0) {
      std::printf(" elapsed_us=%lld",
                  static_cast<long long>(
                      std::chrono::duration_cast<std::chrono::microseconds>(s.at - fault).count()));
    }
    std::printf("\n");
  }
  return left == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rsagent::bench

int main(int argc, char** argv) {
  auto options = rsagent::bench::ParseArgs(argc, argv);
  if (!options) {
    std::fprintf(stderr, "rsagent-bench-watch: %s\n", options.error().c_str());
    return 2;
  }
  return rsagent::bench::Run(*options);
}
