// rsagent-bench-load: drives health checks at a responder and prints one
// line of key=value numbers for run.sh.
//
//   rsagent-bench-load --mode close|keepalive --target 127.0.0.1:9480 --path /health
//                      [--concurrency 4] [--duration 5] [--rate 0] [--timeout-ms 2000]
//   rsagent-bench-load --mode agent --target 127.0.0.1:9490 --send web [...]
//   rsagent-bench-load --mode exec [...] -- COMMAND ARGS...
//
// --rate 0 runs flat out (each of --concurrency clients back to back);
// --rate R spreads R checks/s over the clients on a fixed schedule, to measure
// latency at a director's pace rather than at saturation.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/check_client.h"
#include "tests/bench/latency_stats.h"

namespace rsagent::bench {
namespace {

struct Options {
  std::string mode = "close";
  Endpoint target;
  std::string path = "/health";
  std::string send;  // --mode agent: the agent-send line, without its newline
  std::vector<std::string> command;
  int concurrency = 4;
  double duration_s = 5;
  double rate = 0;
  int timeout_ms = 2000;
};

struct Tally {
  LatencyStats latency;
  std::map<int, long> codes;  // HTTP status or exit code -> count
  long errors = 0;
  std::string first_error;
};

Result<Options> ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      o.command.assign(argv + i + 1, argv + argc);
      break;
    }
    if (i + 1 >= argc) return Error{"missing value for " + arg};
    const std::string value = argv[++i];
    if (arg == "--mode") {
      o.mode = value;
    } else if (arg == "--target") {
      auto e = Endpoint::Parse(value);
      if (!e) return Error{e.error()};
      o.target = *e;
    } else if (arg == "--path") {
      o.path = value;
    } else if (arg == "--send") {
      o.send = value + "\n";
    } else if (arg == "--concurrency") {
      o.concurrency = std::max(1, std::atoi(value.c_str()));
    } else if (arg == "--duration") {
      o.duration_s = std::atof(value.c_str());
    } else if (arg == "--rate") {
      o.rate = std::atof(value.c_str());
    } else if (arg == "--timeout-ms") {
      o.timeout_ms = std::atoi(value.c_str());
    } else {
      return Error{"unknown option " + arg};
    }
  }
  if (o.mode != "close" && o.mode != "keepalive" && o.mode != "agent" && o.mode != "exec") {
    return Error{"--mode must be close, keepalive, agent or exec"};
  }
  if (o.mode == "agent" && o.send.empty()) return Error{"--mode agent needs --send SERVICE"};
  if (o.mode == "exec" && o.command.empty()) return Error{"--mode exec needs -- COMMAND"};
  if (o.mode != "exec" && o.target.port == 0) return Error{"--target HOST:PORT is required"};
  return o;
}

// CPU the exec'd checks used (user + system of reaped children).
long ChildCpuMicros() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000L + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_usec;
}

void RunClient(const Options& o, Clock::time_point end, Clock::duration period, Tally& tally) {
  KeepAliveChecker kept(o.target, o.path);
  auto next = Clock::now();
  while (Clock::now() < end) {
    if (period.count() > 0) {
      std::this_thread::sleep_until(next);
      next += period;
    }
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::milliseconds(o.timeout_ms);
    Result<int> code = o.mode == "close"       ? CheckOnNewConnection(o.target, o.path, deadline)
                       : o.mode == "keepalive" ? kept.Check(deadline)
                       : o.mode == "agent"     ? AgentCheck(o.target, o.send, deadline)
                                               : RunCommand(o.command, deadline);
    tally.latency.Add(Clock::now() - start);
    if (code) {
      ++tally.codes[*code];
    } else if (tally.errors++ == 0) {
      tally.first_error = code.error();
    }
  }
}

int Run(const Options& o) {
  std::vector<Tally> tallies(o.concurrency);
  const auto period = o.rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(o.concurrency / o.rate))
                                 : Clock::duration::zero();
  const auto begin = Clock::now();
  const auto end = begin + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.duration_s));
  {
    std::vector<std::jthread> clients;
    for (auto& t : tallies) clients.emplace_back([&, &t = t] { RunClient(o, end, period, t); });
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  Tally all;
  for (const auto& t : tallies) {
    all.latency.Merge(t.latency);
    for (const auto& [code, n] : t.codes) all.codes[code] += n;
    all.errors += t.errors;
    if (all.first_error.empty()) all.first_error = t.first_error;
  }
  std::string codes;
  for (const auto& [code, n] : all.codes) {
    codes += (codes.empty() ? "" : ",") + std::to_string(code) + ":" + std::to_string(n);
  }
  std::printf(
      "checks=%zu errors=%ld rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f "
      "codes=%s child_cpu_us=%ld first_error=\"%s\"\n",
      all.latency.count(), all.errors, all.latency.count() / elapsed,
      all.latency.PercentileUs(0.50), all.latency.PercentileUs(0.90),
      all.latency.PercentileUs(0.99), all.latency.PercentileUs(1.0),
      codes.empty() ? "-" : codes.c_str(), ChildCpuMicros(), all.first_error.c_str());
  return 0;
}

}  // namespace
}  // namespace rsagent::bench

int main(int argc, char** argv) {
  auto options = rsagent::bench::ParseArgs(argc, argv);
  if (!options) {
    std::fprintf(stderr, "rsagent-bench-load: %s\n", options.error().c_str());
    return 2;
  }
  return rsagent::bench::Run(*options);
}
