#include "tests/bench/check_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace rsagent::bench {

namespace {

// "HTTP/1.1 200 OK..." -> 200.
Result<int> StatusCode(const std::string& response) {
  if (!response.starts_with("HTTP/1.") || response.size() < 12) {
    return Error{"not an HTTP response: '" + response.substr(0, 40) + "'"};
  }
  const int code = std::atoi(response.c_str() + 9);
  if (code < 100 || code > 599) return Error{"bad status line"};
  return code;
}

// Content-Length of a header block ending in "\r\n\r\n"; 0 when absent.
size_t ContentLength(std::string_view headers) {
  constexpr std::string_view kName = "\r\ncontent-length:";
  for (size_t pos = 0; (pos = headers.find("\r\n", pos)) != std::string_view::npos; pos += 2) {
    if (strncasecmp(headers.data() + pos, kName.data(), kName.size()) == 0) {
      return std::strtoul(headers.data() + pos + kName.size(), nullptr, 10);
    }
  }
  return 0;
}

// Everything the peer sends until it closes.
Result<std::string> ReadUntilClosed(int fd, Clock::time_point deadline) {
  std::string data;
  char buffer[4096];
  for (;;) {
    auto n = ReadSome(fd, buffer, sizeof buffer, deadline);
    if (!n) return Error{n.error()};
    if (*n == 0) return data;
    data.append(buffer, *n);
  }
}

}  // namespace

Result<int> CheckOnNewConnection(const Endpoint& endpoint, const std::string& path,
                                 Clock::time_point deadline) {
  auto fd = ConnectTcp(endpoint, deadline);
  if (!fd) return Error{fd.error()};
  const std::string request =
      "GET " + path + " HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: " + endpoint.ToString() +
      "\r\n\r\n";
  if (Status s = WriteAll(fd->get(), request, deadline); !s) return Error{s.error()};
  auto response = ReadUntilClosed(fd->get(), deadline);
  if (!response) return Error{response.error()};
  return StatusCode(*response);
}

Result<int> KeepAliveChecker::Check(Clock::time_point deadline) {
  const std::string request =
      "GET " + path_ + " HTTP/1.1\r\nHost: " + endpoint_.ToString() + "\r\n\r\n";
  // A kept connection the server closed in the meantime fails on write or
  // with an empty read: one retry on a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = fd_.valid();
    if (!reused) {
      auto fd = ConnectTcp(endpoint_, deadline);
      if (!fd) return Error{fd.error()};
      fd_ = std::move(fd).value();
    }
    Status written = WriteAll(fd_.get(), request, deadline);
    Result<int> code = written ? ReadResponse(deadline) : Result<int>(Error{written.error()});
    if (code || !reused) return code;
    fd_.Reset();
  }
  return Error{"unreachable"};
}

Result<int> KeepAliveChecker::ReadResponse(Clock::time_point deadline) {
  std::string response;
  char buffer[4096];
  size_t header_end = std::string::npos;
  size_t body_length = 0;
  for (;;) {
    if (header_end == std::string::npos) {
      header_end = response.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        body_length = ContentLength(std::string_view(response).substr(0, header_end + 2));
      }
    }
    if (header_end != std::string::npos && response.size() >= header_end + 4 + body_length) break;
    auto n = ReadSome(fd_.get(), buffer, sizeof buffer, deadline);
    if (!n || *n == 0) {
      fd_.Reset();
      return Error{n ? "connection closed mid-response" : n.error()};
    }
    response.append(buffer, *n);
  }
  if (response.find("\r\nConnection: close\r\n") != std::string::npos) fd_.Reset();
  return StatusCode(response);
}

Result<int> AgentCheck(const Endpoint& endpoint, const std::string& line,
                       Clock::time_point deadline) {
  auto fd = ConnectTcp(endpoint, deadline);
  if (!fd) return Error{fd.error()};
  if (Status s = WriteAll(fd->get(), line, deadline); !s) return Error{s.error()};
  auto answer = ReadUntilClosed(fd->get(), deadline);
  if (!answer) return Error{answer.error()};
  if (answer->empty() || answer->back() != '\n') {
    return Error{"not an agent-check answer: '" + answer->substr(0, 40) + "'"};
  }
  return answer->starts_with("up") ? 0 : 1;
}

Result<int> RunCommand(const std::vector<std::string>& argv, Clock::time_point deadline) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return Error{"spawn " + argv[0] + ": " + ErrnoText(error)};
  // glibc 2.36 declares pidfd_open without C linkage: the raw syscall.
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd.valid() && !WaitFd(pidfd.get(), POLLIN, deadline)) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) return Error{argv[0] + " killed (timed out)"};
  return WEXITSTATUS(status);
}

}  // namespace rsagent::bench
