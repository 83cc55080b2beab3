#include "probes/exec_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "common/socket.h"
#include "probes/probe_outcome.h"

extern char** environ;

namespace rsagent::probes {

namespace {

constexpr size_t kMaxOutput = 64 * 1024;  // kept from the output; the rest is drained
constexpr size_t kMaxReasonLength = 200;
// After SIGKILL the kernel only has to tear the process down; waiting longer
// than this means it is stuck in the kernel (D state) and we stop waiting.
constexpr auto kReapGrace = std::chrono::seconds(2);

// posix_spawn attributes and file actions, released on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawnattr_init(&attr_);
    posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    posix_spawnattr_destroy(&attr_);
    posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // Own process group (killable as a whole), default signal dispositions and
  // an empty mask whatever the agent set, stdin from /dev/null, stdout and
  // stderr into `output_fd`, nothing else inherited.
  void Configure(int output_fd) {
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                         POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr_, 0);
    sigset_t signals;
    sigemptyset(&signals);
    posix_spawnattr_setsigmask(&attr_, &signals);
    sigfillset(&signals);
    posix_spawnattr_setsigdefault(&attr_, &signals);
    posix_spawn_file_actions_addopen(&actions_, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions_, output_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions_, output_fd, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions_, STDERR_FILENO + 1);
  }

  const posix_spawnattr_t* attr() const { return &attr_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

// glibc 2.36's <sys/pidfd.h> lacks extern "C" (fixed in 2.37), so its
// pidfd_open cannot be linked from C++; the system call is the same.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

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
    return name ? std::string("killed by SIG") + name : "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return "status " + std::to_string(status);
}

// Kills the group of `pid` and reaps `pid`. The group is killed while `pid`
// is still unreaped, so its id cannot have been reused by another process.
// Returns the wait status, or nullopt if it did not die within kReapGrace.
std::optional<int> KillAndReap(pid_t pid, int pidfd) {
  kill(-pid, SIGKILL);
  WaitFd(pidfd, POLLIN, Clock::now() + kReapGrace).ok();
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == pid) return status;
  return std::nullopt;
}

}  // namespace

ProbeResult ExecProbe::Check(Clock::time_point deadline) {
  const auto start = Clock::now();
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) return Failed(start, "pipe: " + ErrnoText(errno));
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);

  SpawnSetup setup;
  setup.Configure(write_end.get());
  std::vector<char*> argv;
  for (const std::string& arg : argv_) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  pid_t pid = -1;
  // posix_spawn (clone+exec, no fork of our address space) is safe in a
  // threaded process, and glibc reports exec failures such as ENOENT here.
  int error = posix_spawnp(&pid, argv[0], setup.actions(), setup.attr(), argv.data(), environ);
  if (error != 0) return Failed(start, argv_[0] + ": " + ErrnoText(error));
  write_end.Reset();  // the child holds the only write end now: EOF when its group is gone

  UniqueFd pidfd(PidfdOpen(pid));
  if (!pidfd.valid()) {
    // Cannot watch the child (ancient kernel or fd limit): do not leave it running.
    kill(-pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return Failed(start, "pidfd_open: " + ErrnoText(errno));
  }

  std::string output;
  bool pipe_open = true;
  bool exited = false;
  while (!exited) {
    pollfd fds[2] = {{pidfd.get(), POLLIN, 0}, {read_end.get(), POLLIN, 0}};
    int n = poll(fds, pipe_open ? 2 : 1, MillisUntil(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // deadline (or a poll failure): kill below
    if (pipe_open && fds[1].revents != 0) pipe_open = DrainPipe(read_end.get(), &output);
    exited = fds[0].revents != 0;
  }

  // Either way the group dies now: on exit so that a background grandchild
  // cannot keep the pipe (and the next probe run) busy.
  std::optional<int> status = KillAndReap(pid, pidfd.get());
  if (pipe_open) DrainPipe(read_end.get(), &output);
  std::string line = FirstLine(output);
  if (!exited) {
    std::string reason = "timed out after " + FormatMillis(deadline - start);
    if (!line.empty()) reason += ": " + line;
    if (!status) reason += " (process did not die after SIGKILL)";
    return Failed(start, reason);
  }
  if (status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) return Passed(start, line);
  std::string reason = status ? DescribeStatus(*status) : "exited, status lost";
  if (!line.empty()) reason += ": " + line;
  return Failed(start, reason);
}

}  // namespace rsagent::probes
