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
#include "conf/toml_reader.h"
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

ProbeResult ExecProbe::Attempt(Clock::time_point deadline) {
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

ExecProbe::ExecProbe(const ExecProbeSpec& spec)
    : argv_(spec.shell ? std::vector<std::string>{"/bin/sh", "-c", spec.command.front()}
                       : spec.command) {}

// argv without a shell, or one string for /bin/sh -c with shell = true;
// the other two combinations are mistakes, and the message says which fix.
ExecProbeSpec ExecProbeSpec::Read(conf::TableReader& table) {
  ExecProbeSpec spec;
  if (auto v = table.Bool("shell")) spec.shell = *v;
  const toml::node* node = table.Node("command");
  const std::string path = table.KeyPath("command");
  if (node == nullptr) {
    table.Require("command",
                  spec.shell ? "a string for /bin/sh -c" : "the argv, an array of strings");
  } else if (const auto* text = node->as_string()) {
    if (!spec.shell) {
      table.ErrorAt(node->source(), path,
                    "a single string needs `shell = true` (it then runs via /bin/sh -c); "
                    "without a shell write the argv as an array, e.g. [\"/usr/local/bin/check\", "
                    "\"--quiet\"]");
    } else if (text->get().empty()) {
      table.ErrorAt(node->source(), path, "must not be empty");
    }
    spec.command = {text->get()};
  } else if (node->is_array()) {
    if (spec.shell) {
      table.ErrorAt(node->source(), path,
                    "with `shell = true` the command is one string for /bin/sh -c; "
                    "remove `shell` to run this array as argv without a shell");
    }
    if (auto argv = table.StringList("command")) {
      for (const conf::LocatedString& arg : *argv) spec.command.push_back(arg.text);
      if (argv->empty() || argv->front().text.empty()) {
        table.ErrorAt(node->source(), path, "argv[0], the program to run, must not be empty");
      }
    }
  } else {
    table.ErrorAt(node->source(), path,
                  "expected an array of strings (argv) or, with `shell = true`, a string; got " +
                      std::string(conf::DescribeType(node->type())));
  }
  return spec;
}

}  // namespace rsagent::probes
