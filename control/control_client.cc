#include "control/control_client.h"

#include <cerrno>

#include "control/unix_socket.h"

namespace rsagent::agent {

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
  const auto deadline = Clock::now() + timeout;
  if (Status s = WriteAll(fd->get(), EncodeRequest(request), deadline); !s) {
    return Error{"sending to the agent: " + s.error()};
  }
  auto line = ReadLine(fd->get(), kMaxControlResponse, deadline);
  if (!line) return Error{"waiting for the agent: " + line.error()};
  if (line->empty()) return Error{"the agent closed the connection without an answer"};
  return DecodeResponse(*line);
}

}  // namespace rsagent::agent
