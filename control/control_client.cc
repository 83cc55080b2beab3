#include "control/control_client.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "control/unix_socket.h"

namespace rsagent::agent {

std::chrono::milliseconds DeadlineMargin(std::chrono::milliseconds timeout) {
  return std::min(timeout / 4, std::chrono::milliseconds(1000));
}

Result<ControlResponse> CallControl(const std::string& socket_path, const ControlRequest& request,
                                    std::chrono::milliseconds timeout) {
  int error_number = 0;
  auto fd = ConnectUnix(socket_path, &error_number);
  if (!fd) {
    std::string hint;
    if (error_number == ENOENT || error_number == ECONNREFUSED) {
      hint = " (is the agent running? start it with `rsagent run` or systemctl start rsagent)";
    } else if (error_number == EACCES) {
      hint = " (the control socket is for root only: run this as root)";
    }
    return Error{"cannot reach the agent at " + socket_path + ": " + fd.error() + hint};
  }
  // Whoever answers must be root (or ourselves): a socket replaced by
  // another user would otherwise answer "web: drain" for a drain never done.
  ucred server{};
  socklen_t length = sizeof server;
  if (getsockopt(fd->get(), SOL_SOCKET, SO_PEERCRED, &server, &length) != 0) {
    return Error{"cannot identify the process behind " + socket_path + ": " + ErrnoText(errno)};
  }
  if (server.uid != 0 && server.uid != geteuid()) {
    return Error{"refusing to trust " + socket_path + ": it is served by uid " +
                 std::to_string(server.uid) + " (pid " + std::to_string(server.pid) +
                 "), not root — the socket may have been replaced; check its directory's owner"};
  }
  const auto deadline = Clock::now() + timeout;
  // The agent acts only before the request's deadline, a margin before ours,
  // so a command done in time is answered in time.
  ControlRequest bounded = request;
  bounded.deadline = std::chrono::system_clock::now() + timeout - DeadlineMargin(timeout);
  const Status sent = WriteAll(fd->get(), EncodeRequest(bounded), deadline);
  // A refusal sent before reading ("busy") closes early: read it anyway.
  auto line = ReadLine(fd->get(), kMaxControlResponse, deadline);
  if (!sent && (!line || line->empty())) return Error{"sending to the agent: " + sent.error()};
  if (!line) return Error{"waiting for the agent: " + line.error()};
  if (line->empty()) return Error{"the agent closed the connection without an answer"};
  return DecodeResponse(*line);
}

}  // namespace rsagent::agent
