// rsagent-check ADDRESS:PORT SERVICE [TIMEOUT_MS]: keepalived's MISC_CHECK
// client for misc_dynamic. Asks the agent's health listener for
// /health/SERVICE and exits with the weight + 2 (check_answer.h). No shell,
// no config, no name resolution; a static PIE (check/CMakeLists.txt), so a
// fork + exec per check loads nothing and costs as little as possible.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "check/check_answer.h"
#include "common/socket.h"

namespace {

constexpr int kDefaultTimeoutMs = 2000;

// keepalived ends a check that runs past misc_timeout with SIGTERM (SIGKILL
// 2 s later). Dying of it would corrupt the real server's weight for good:
// keepalived 2.2.7 (check_misc.c, misc_check_child_thread, still so
// upstream) forgets the check's dynamic weight on a signal without taking it
// out of the server's effective weight, so every later weight is off by the
// one asked at that moment (0 after a drain: the server stays at weight 0).
// Exiting 1 instead takes keepalived's failure path, which does.
void ExitOnTerm(int) {
  static constexpr char kWhy[] =
      "rsagent-check: SIGTERM (keepalived's misc_timeout): exit 1, DOWN\n";
  (void)!write(STDERR_FILENO, kWhy, sizeof kWhy - 1);
  _exit(1);
}

int Usage() {
  std::fputs(
      "usage: rsagent-check ADDRESS:PORT SERVICE [TIMEOUT_MS]\n"
      "exit: weight + 2 when UP (keepalived MISC_CHECK misc_dynamic), 2 when drained,\n"
      "      1 when DOWN or unreachable\n",
      stderr);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using rsagent::Clock;
  std::signal(SIGTERM, ExitOnTerm);
  if (argc < 3 || argc > 4) return Usage();
  auto endpoint = rsagent::Endpoint::Parse(argv[1]);
  if (!endpoint) {
    std::fprintf(stderr, "rsagent-check: %s\n", endpoint.error().c_str());
    return Usage();
  }
  const std::string service = argv[2];
  if (service.empty() || service.find_first_of("/ \r\n?#%") != std::string::npos) {
    std::fprintf(stderr, "rsagent-check: \"%s\" is not a service name\n", argv[2]);
    return 1;
  }
  int timeout_ms = kDefaultTimeoutMs;
  if (argc == 4 && (std::sscanf(argv[3], "%d", &timeout_ms) != 1 || timeout_ms <= 0)) {
    return Usage();
  }
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);

  auto fd = rsagent::ConnectTcp(*endpoint, deadline);
  if (!fd) {
    std::fprintf(stderr, "rsagent-check: %s: %s\n", argv[1], fd.error().c_str());
    return 1;
  }
  const std::string request = "GET /health/" + service + " HTTP/1.0\r\n\r\n";
  if (auto s = rsagent::WriteAll(fd->get(), request, deadline); !s) {
    std::fprintf(stderr, "rsagent-check: %s: %s\n", argv[1], s.error().c_str());
    return 1;
  }
  std::string response;
  char buf[2048];
  while (response.size() < 16384) {
    auto n = rsagent::ReadSome(fd->get(), buf, sizeof buf, deadline);
    if (!n) {
      std::fprintf(stderr, "rsagent-check: %s: %s\n", argv[1], n.error().c_str());
      return 1;
    }
    if (*n == 0) break;
    response.append(buf, *n);
  }
  const rsagent::check::CheckAnswer answer = rsagent::check::AnswerFor(response);
  if (answer.exit_code == 1) std::fprintf(stderr, "rsagent-check: %s\n", answer.why.c_str());
  return answer.exit_code;
}
