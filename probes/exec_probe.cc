#include "probes/exec_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "common/socket.h"
#include "probes/contained_command.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;  // kept from the output; the rest is drained
constexpr size_t kMaxReasonLength = 200;

// Reads everything available without blocking; keeps the first kMaxOutput
// bytes. Returns false at end of stream.
bool DrainPipe(int fd, std::string* output) {
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      size_t room = kMaxOutput - std::min(kMaxOutput, output->size());
      output->append(buffer, std::min(room, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

std::string FirstLine(std::string_view output) {
  while (!output.empty()) {
    size_t end = output.find('\n');
    std::string_view line = output.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) return std::string(line.substr(0, kMaxReasonLength));
    if (end == std::string_view::npos) break;
    output.remove_prefix(end + 1);
  }
  return "";
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    return name ? std::string("killed by SIG") + name
                : "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return "status " + std::to_string(status);
}

}  // namespace

ProbeResult ExecProbe::Check(Clock::time_point deadline) {
  const auto start = Clock::now();
  int pipe_fds[2];
  // Only our end is non-blocking (O_NONBLOCK belongs to each end's own open
  // file description): the command's writes block until we read.
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Failed(start, "pipe: " + ErrnoText(errno));
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  if (fcntl(read_end.get(), F_SETFL, O_NONBLOCK) != 0) {
    return Failed(start, "pipe: " + ErrnoText(errno));
  }

  auto command = ContainedCommand::Start(argv_, write_end.get());
  if (!command.ok()) return Failed(start, argv_[0] + ": " + command.error());
  write_end.Reset();  // the command holds the only write end now

  std::string output;
  bool pipe_open = true;
  bool exited = false;
  while (!exited) {
    pollfd fds[2] = {{command->done_fd(), POLLIN, 0}, {read_end.get(), POLLIN, 0}};
    int n = poll(fds, pipe_open ? 2 : 1, MillisUntil(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // deadline (or a poll failure): killed below
    if (pipe_open && fds[1].revents != 0) pipe_open = DrainPipe(read_end.get(), &output);
    exited = fds[0].revents != 0;
  }

  // Either way every descendant dies now, so that a background grandchild
  // cannot keep the pipe (and the next probe run) busy.
  const ContainedCommand::Exit exit = command->End();
  if (pipe_open) DrainPipe(read_end.get(), &output);
  if (exit.exec_error != 0) return Failed(start, argv_[0] + ": " + ErrnoText(exit.exec_error));
  std::string line = FirstLine(output);
  if (!exited) {
    std::string reason = "timed out after " + FormatMillis(deadline - start);
    if (!line.empty()) reason += ": " + line;
    if (exit.stuck) reason += " (process did not die after SIGKILL)";
    return Failed(start, reason);
  }
  const std::optional<int>& status = exit.wait_status;
  if (status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) return Passed(start, line);
  std::string reason = status ? DescribeStatus(*status) : "exited, status lost";
  if (!line.empty()) reason += ": " + line;
  return Failed(start, reason);
}

}  // namespace rsagent::probes
