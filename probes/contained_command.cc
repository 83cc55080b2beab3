#include "probes/contained_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace rsagent::probes {

namespace {

// After SIGKILL the kernel only has to tear processes down; taking longer
// means a descendant is stuck in the kernel (D state). The keeper gives up
// on such a descendant first, the agent on the keeper after.
constexpr int kKeeperGraceMs = 1000;
constexpr int kReapGraceMs = 3000;

// Descriptor numbers inside the keeper.
constexpr int kReportFd = 3;
constexpr int kLifelineFd = 4;

// What the keeper and the command write to the report pipe: one record per
// event, each smaller than PIPE_BUF so writes are atomic.
enum Tag : int { kExecFailed = 0, kExited = 1 };
struct Record {
  int tag;
  int value;  // errno or wait status
};

// glibc 2.36's <sys/pidfd.h> lacks extern "C" (fixed in 2.37); the system
// call is the same.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

// Everything the keeper needs, built before the fork: after it only
// async-signal-safe calls are allowed (other threads may hold malloc's locks).
struct Plan {
  std::vector<std::string> candidates;  // paths to try for argv[0]
  std::vector<char*> argv;
  std::vector<char*> candidate_ptrs;
};

Plan MakePlan(const std::vector<std::string>& argv) {
  Plan plan;
  const std::string& file = argv[0];
  if (file.find('/') != std::string::npos) {
    plan.candidates.push_back(file);
  } else {
    const char* path = std::getenv("PATH");
    std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t end = dirs.find(':', start);
      if (end == std::string::npos) end = dirs.size();
      std::string dir = dirs.substr(start, end - start);
      plan.candidates.push_back((dir.empty() ? "." : dir) + "/" + file);
      start = end + 1;
    }
  }
  for (const std::string& arg : argv) plan.argv.push_back(const_cast<char*>(arg.c_str()));
  plan.argv.push_back(nullptr);
  for (std::string& c : plan.candidates) plan.candidate_ptrs.push_back(c.data());
  plan.candidate_ptrs.push_back(nullptr);
  return plan;
}

void Report(int tag, int value) {
  Record record{tag, value};
  while (write(kReportFd, &record, sizeof record) < 0 && errno == EINTR) {
  }
}

long NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

// Sends SIGKILL to every current child of the keeper (orphans below it are
// reparented to it, being a subreaper). Async-signal-safe.
void KillChildren() {
  int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buffer[4096];
  ssize_t n;
  pid_t pid = 0;
  while ((n = read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] >= '0' && buffer[i] <= '9') {
        pid = pid * 10 + (buffer[i] - '0');
      } else if (pid > 0) {
        kill(pid, SIGKILL);
        pid = 0;
      }
    }
  }
  if (pid > 0) kill(pid, SIGKILL);
  close(fd);
}

// Kills and reaps every descendant: each reaped child's own children are
// reparented to us before wait() returns it, so the loop ends when wait()
// reports no child at all (or the grace period ends).
void KillEverything(pid_t command) {
  kill(-command, SIGKILL);  // its group, even where /proc lacks the children list
  const long until = NowMs() + kKeeperGraceMs;
  while (true) {
    KillChildren();
    int status;
    pid_t reaped = waitpid(-1, &status, WNOHANG);
    if (reaped < 0 && errno == ECHILD) return;
    if (reaped > 0) continue;
    if (NowMs() > until) return;
    timespec pause{0, 1000 * 1000};
    nanosleep(&pause, nullptr);
  }
}

[[noreturn]] void RunCommand(const Plan& plan) {
  close(kLifelineFd);
  fcntl(kReportFd, F_SETFD, FD_CLOEXEC);
  setpgid(0, 0);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  int error = ENOENT;
  for (char* const* candidate = plan.candidate_ptrs.data(); *candidate; ++candidate) {
    execve(*candidate, plan.argv.data(), environ);
    // As execvp: keep looking past a missing file, remember a denial.
    if (errno == EACCES)
      error = EACCES;
    else if (errno != ENOENT && errno != ENOTDIR) {
      error = errno;
      break;
    }
  }
  Report(kExecFailed, error);
  _exit(127);
}

// The keeper: fds 0-2 are the command's stdio, kReportFd and kLifelineFd
// its pipes, nothing else open.
[[noreturn]] void RunKeeper(const Plan& plan) {
  setpgid(0, 0);  // killable on its own should it ever hang
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  const pid_t command = _Fork();
  if (command < 0) {
    Report(kExecFailed, errno);
    _exit(127);
  }
  if (command == 0) RunCommand(plan);
  setpgid(command, command);  // also done in the child; whichever runs first
  const int pidfd = PidfdOpen(command);
  while (true) {
    pollfd fds[2] = {{pidfd, POLLIN, 0}, {kLifelineFd, POLLIN, 0}};
    // Without a pidfd (fd limit), check the command every 10 ms.
    const int n = poll(pidfd >= 0 ? fds : fds + 1, pidfd >= 0 ? 2 : 1, pidfd >= 0 ? -1 : 10);
    if (n < 0 && errno != EINTR) break;
    int status;
    if (waitpid(command, &status, WNOHANG) == command) {
      KillEverything(command);
      Report(kExited, status);
      _exit(0);
    }
    if (fds[1].revents != 0) break;  // lifeline: the agent ended the attempt
  }
  kill(command, SIGKILL);
  KillEverything(command);
  _exit(0);
}

// Closes every descriptor above `fd`: the command inherits none of the
// agent's (sockets, the control socket, other probes' pipes). Without
// close_range (a seccomp filter may refuse it), one by one up to the limit.
void CloseAllAbove(int fd) {
  if (close_range(static_cast<unsigned>(fd) + 1, ~0U, 0) == 0) return;
  rlimit limit{};
  const rlim_t top = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                         ? limit.rlim_cur
                         : 1 << 20;
  for (rlim_t i = static_cast<rlim_t>(fd) + 1; i < top; ++i) close(static_cast<int>(i));
}

// Moves `fd` to `target` in the child, clearing close-on-exec.
void Place(int fd, int target) {
  if (fd == target) {
    fcntl(fd, F_SETFD, 0);
  } else {
    dup2(fd, target);
  }
}

}  // namespace

Result<ContainedCommand> ContainedCommand::Start(const std::vector<std::string>& argv,
                                                 int output_fd) {
  if (argv.empty()) return Error{"empty command"};
  const Plan plan = MakePlan(argv);
  int report[2];
  int lifeline[2];
  if (pipe2(report, O_CLOEXEC) != 0) return Error{"pipe: " + ErrnoText(errno)};
  UniqueFd report_read(report[0]), report_write(report[1]);
  if (pipe2(lifeline, O_CLOEXEC) != 0) return Error{"pipe: " + ErrnoText(errno)};
  UniqueFd lifeline_read(lifeline[0]), lifeline_write(lifeline[1]);
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0) return Error{"/dev/null: " + ErrnoText(errno)};
  UniqueFd null_fd(devnull);

  // _Fork: no atfork handlers run, the child is as the kernel made it.
  const pid_t keeper = _Fork();
  if (keeper < 0) return Error{"fork: " + ErrnoText(errno)};
  if (keeper == 0) {
    // Every source fd moves above the targets first, so no dup2 clobbers one.
    const int out = fcntl(output_fd, F_DUPFD, 10);
    const int rep = fcntl(report_write.get(), F_DUPFD, 10);
    const int life = fcntl(lifeline_read.get(), F_DUPFD, 10);
    const int in = fcntl(null_fd.get(), F_DUPFD, 10);
    if (out < 0 || rep < 0 || life < 0 || in < 0) _exit(127);
    Place(in, STDIN_FILENO);
    Place(out, STDOUT_FILENO);
    Place(out, STDERR_FILENO);
    Place(rep, kReportFd);
    Place(life, kLifelineFd);
    // Blocking output whatever the agent's end is: a script writing more
    // than a pipe holds at once must wait, not fail with EAGAIN.
    fcntl(STDOUT_FILENO, F_SETFL, fcntl(STDOUT_FILENO, F_GETFL) & ~O_NONBLOCK);
    CloseAllAbove(kLifelineFd);
    RunKeeper(plan);
  }
  report_write.Reset();
  lifeline_read.Reset();
  UniqueFd pidfd(PidfdOpen(keeper));
  if (!pidfd.valid()) {
    const int error = errno;
    lifeline_write.Reset();  // the keeper kills the command and exits
    waitpid(keeper, nullptr, 0);
    return Error{"pidfd_open: " + ErrnoText(error)};
  }
  return ContainedCommand(keeper, std::move(pidfd), std::move(lifeline_write),
                          std::move(report_read));
}

ContainedCommand::ContainedCommand(ContainedCommand&& other) noexcept
    : keeper_(std::exchange(other.keeper_, -1)),
      pidfd_(std::move(other.pidfd_)),
      lifeline_(std::move(other.lifeline_)),
      report_(std::move(other.report_)) {}

ContainedCommand::~ContainedCommand() {
  if (keeper_ > 0) End();
}

ContainedCommand::Exit ContainedCommand::End() {
  Exit exit;
  lifeline_.Reset();  // a running keeper kills everything and exits
  pollfd done{pidfd_.get(), POLLIN, 0};
  while (poll(&done, 1, kReapGraceMs) < 0 && errno == EINTR) {
  }
  if (waitpid(keeper_, nullptr, WNOHANG) != keeper_) {
    // Stuck (a descendant in D state): the keeper's group goes, the rest is
    // the kernel's; reaped later so no zombie stays behind.
    kill(-keeper_, SIGKILL);
    kill(keeper_, SIGKILL);
    // Still there: it stays a zombie until it dies (as the old process group
    // kill did); the attempt reports it.
    exit.stuck = waitpid(keeper_, nullptr, WNOHANG) != keeper_;
  }
  keeper_ = -1;
  Record record;
  fcntl(report_.get(), F_SETFL, O_NONBLOCK);
  while (read(report_.get(), &record, sizeof record) == sizeof record) {
    if (record.tag == kExecFailed) exit.exec_error = record.value;
    if (record.tag == kExited) exit.wait_status = record.value;
  }
  return exit;
}

}  // namespace rsagent::probes
