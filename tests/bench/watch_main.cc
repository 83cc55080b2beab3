// rsagent-bench-watch: polls a health URL on new connections until it answers
// the expected status, and prints when (wall clock, so run.sh can subtract
// the moment it injected a fault).
//
//   rsagent-bench-watch --target 127.0.0.1:9480 --path /health --until 503|any
//                       [--interval-ms 5] [--timeout-s 30]
//
// Exit 0 when seen, 1 on timeout.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "tests/bench/check_client.h"

namespace rsagent::bench {
namespace {

struct Options {
  Endpoint target;
  std::string path = "/health";
  int until = 0;  // 0 = any HTTP answer
  int interval_ms = 5;
  double timeout_s = 30;
};

Result<Options> ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--target") {
      auto e = Endpoint::Parse(value);
      if (!e) return Error{e.error()};
      o.target = *e;
    } else if (arg == "--path") {
      o.path = value;
    } else if (arg == "--until") {
      o.until = value == "any" ? 0 : std::atoi(value.c_str());
    } else if (arg == "--interval-ms") {
      o.interval_ms = std::atoi(value.c_str());
    } else if (arg == "--timeout-s") {
      o.timeout_s = std::atof(value.c_str());
    } else {
      return Error{"unknown option " + arg};
    }
  }
  if (o.target.port == 0) return Error{"--target HOST:PORT is required"};
  return o;
}

int Run(const Options& o) {
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.timeout_s));
  long polls = 0;
  while (Clock::now() < end) {
    ++polls;
    auto code = CheckOnNewConnection(o.target, o.path, Clock::now() + std::chrono::seconds(1));
    if (code && (o.until == 0 || *code == o.until)) {
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      std::printf("seen_ns=%lld polls=%ld code=%d\n",
                  static_cast<long long>(std::chrono::nanoseconds(now).count()), polls, *code);
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(o.interval_ms));
  }
  std::printf("seen_ns=0 polls=%ld code=0\n", polls);
  return 1;
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
