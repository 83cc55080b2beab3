// rsagent-bench-hold: holds N connections open against a port, the abuse a
// health port must survive while the directors keep checking it.
//
//   rsagent-bench-hold --target 127.0.0.1:9480 --connections 1000 --duration 10
//                      --style idle|slowloris [--drip-ms 1000]
//
// idle: connect and send nothing. slowloris: send a request line, then one
// more header line every --drip-ms, never the blank line that ends it.
// Connections the server closes are reopened at once, as an attacker would.
// Prints connects, closes by the server and the held count (min/avg).
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/socket.h"

namespace rsagent::bench {
namespace {

struct Options {
  Endpoint target;
  int connections = 1000;
  double duration_s = 10;
  bool slowloris = false;
  int drip_ms = 1000;
};

struct Slot {
  UniqueFd fd;
  bool connected = false;
};

Result<Options> ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--target") {
      auto e = Endpoint::Parse(value);
      if (!e) return Error{e.error()};
      o.target = *e;
    } else if (arg == "--connections") {
      o.connections = std::atoi(value.c_str());
    } else if (arg == "--duration") {
      o.duration_s = std::atof(value.c_str());
    } else if (arg == "--style") {
      if (value != "idle" && value != "slowloris") return Error{"--style idle|slowloris"};
      o.slowloris = value == "slowloris";
    } else if (arg == "--drip-ms") {
      o.drip_ms = std::max(10, std::atoi(value.c_str()));
    } else {
      return Error{"unknown option " + arg};
    }
  }
  if (o.target.port == 0) return Error{"--target HOST:PORT is required"};
  return o;
}

int Run(const Options& o) {
  std::vector<Slot> slots(o.connections);
  long connects = 0, server_closes = 0, samples = 0, held_sum = 0;
  long held_min = o.connections;
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.duration_s));
  auto next_drip = Clock::now();
  const std::string request_line = "GET /health HTTP/1.1\r\nHost: " + o.target.ToString() + "\r\n";
  while (Clock::now() < end) {
    for (auto& s : slots) {
      if (s.fd.valid()) continue;
      auto fd = StartConnect(o.target);
      if (!fd) continue;  // e.g. out of ports; retried next round
      s.fd = std::move(fd).value();
      s.connected = false;
      ++connects;
    }
    std::vector<pollfd> fds;
    for (auto& s : slots) fds.push_back({s.fd.get(), short(s.connected ? POLLIN : POLLOUT), 0});
    poll(fds.data(), fds.size(), 100);
    const bool drip = o.slowloris && Clock::now() >= next_drip;
    if (drip) next_drip += std::chrono::milliseconds(o.drip_ms);
    long held = 0;
    for (size_t i = 0; i < slots.size(); ++i) {
      Slot& s = slots[i];
      if (!s.fd.valid()) continue;
      if (!s.connected && (fds[i].revents & POLLOUT)) {
        if (!FinishConnect(s.fd.get())) {
          s.fd.Reset();
          continue;
        }
        s.connected = true;
        if (o.slowloris) (void)WriteAll(s.fd.get(), request_line, Clock::now());
      } else if (s.connected && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        // Anything the server says (a 408, a 400, EOF) ends this one.
        s.fd.Reset();
        ++server_closes;
        continue;
      }
      if (s.connected && drip) (void)WriteAll(s.fd.get(), "X-a: b\r\n", Clock::now());
      held += s.connected;
    }
    ++samples;
    held_sum += held;
    if (Clock::now() >
        end - std::chrono::duration<double>(o.duration_s) + std::chrono::seconds(1)) {
      held_min = std::min(held_min, held);  // after a 1 s ramp-up
    }
  }
  std::printf("connects=%ld server_closes=%ld held_min=%ld held_avg=%.0f\n", connects,
              server_closes, held_min, samples ? double(held_sum) / samples : 0.0);
  return 0;
}

}  // namespace
}  // namespace rsagent::bench

int main(int argc, char** argv) {
  auto options = rsagent::bench::ParseArgs(argc, argv);
  if (!options) {
    std::fprintf(stderr, "rsagent-bench-hold: %s\n", options.error().c_str());
    return 2;
  }
  return rsagent::bench::Run(*options);
}
