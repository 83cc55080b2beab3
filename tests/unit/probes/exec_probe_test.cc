#include "probes/exec_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/unit/probes/loopback.h"

namespace rsagent::probes {
namespace {

using std::chrono::milliseconds;

ProbeResult RunArgv(std::vector<std::string> argv, milliseconds timeout = milliseconds(5000)) {
  ExecProbe probe(std::move(argv));
  return probe.Attempt(Clock::now() + timeout);
}

ProbeResult RunShell(const std::string& command, milliseconds timeout = milliseconds(5000)) {
  return RunArgv({"/bin/sh", "-c", command}, timeout);
}

// A scratch directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/rsagent-exec-test-XXXXXX";
    path_ = mkdtemp(name);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::vector<pid_t> ReadPids(const std::string& path) {
  std::ifstream in(path);
  std::vector<pid_t> pids;
  for (pid_t pid; in >> pid;) pids.push_back(pid);
  return pids;
}

// Gone or a zombie: an orphaned grandchild is reaped by init, not by us, so
// it may linger as Z for a moment after it died.
bool IsDead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  size_t paren = line.rfind(')');
  return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
}

bool DiesWithin(pid_t pid, milliseconds limit) {
  const auto until = Clock::now() + limit;
  while (!IsDead(pid)) {
    if (Clock::now() > until) return false;
    usleep(10 * 1000);
  }
  return true;
}

TEST(ExecProbe, ExitZeroPassesWithFirstLineAsNote) {
  ProbeResult result = RunShell("echo all good; echo more");
  EXPECT_TRUE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "all good");
  EXPECT_GT(result.latency.count(), 0);
}

TEST(ExecProbe, NonZeroExitFailsWithFirstNonEmptyLine) {
  ProbeResult result = RunShell("echo; echo '   '; echo 'disk full  ' >&2; echo second; exit 3");
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "exit 3: disk full");
}

TEST(ExecProbe, SilentFailureReportsTheExitStatus) {
  EXPECT_EQ(RunArgv({"/bin/false"}).outcome.reason, "exit 1");
  EXPECT_EQ(RunShell("kill -TERM $$").outcome.reason, "killed by SIGTERM");
}

TEST(ExecProbe, ReasonIsCappedAndOutputBounded) {
  // 1 MiB of output: read and discarded past 64 KiB, the child never blocks.
  ProbeResult result = RunShell("head -c 1048576 /dev/zero | tr '\\0' x; exit 1");
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "exit 1: " + std::string(200, 'x'));
}

TEST(ExecProbe, MissingBinaryFailsClearly) {
  ProbeResult result = RunArgv({"/nonexistent/check"});
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "/nonexistent/check: no such file or directory");
  EXPECT_EQ(RunArgv({"rsagent-no-such-command"}).outcome.reason,
            "rsagent-no-such-command: no such file or directory");
}

TEST(ExecProbe, ArgumentsAreNotInterpretedByAShell) {
  ProbeResult result = RunArgv({"echo", "a;echo injected", "$HOME"});
  EXPECT_TRUE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "a;echo injected $HOME");
}

TEST(ExecProbe, StdinIsDevNull) {
  // cat would wait forever on an inherited terminal or pipe.
  ProbeResult result = RunArgv({"cat"}, milliseconds(2000));
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  EXPECT_LT(result.latency, milliseconds(1000));
}

TEST(ExecProbe, OnlyStdioIsInherited) {
  int leaked = open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  const std::string fd = "/proc/$$/fd/" + std::to_string(leaked);
  ProbeResult result = RunShell("if [ -e " + fd + " ]; then echo leaked; else echo closed; fi");
  close(leaked);
  EXPECT_EQ(result.outcome.reason, "closed");
}

TEST(ExecProbe, TimeoutKillsTheWholeProcessGroup) {
  TempDir dir;
  const std::string pids = dir.File("pids");
  const auto timeout = milliseconds(300);
  const auto start = Clock::now();
  ProbeResult result =
      RunShell("sleep 30 & echo $! > " + pids + "; echo $$ >> " + pids + "; echo waiting; sleep 30", timeout);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  std::printf("exec probe running 'sleep 30' x2: returned after %lldms, timeout %lldms\n",
              static_cast<long long>(took.count()), static_cast<long long>(timeout.count()));
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "timed out after 300ms: waiting");
  EXPECT_LT(took, timeout + milliseconds(300));

  std::vector<pid_t> spawned = ReadPids(pids);
  ASSERT_EQ(spawned.size(), 2u);
  // The shell is our child: reaped, so gone at once. The background sleep
  // was reparented and is reaped by init.
  EXPECT_EQ(kill(spawned[1], 0), -1) << "shell " << spawned[1] << " still exists";
  EXPECT_TRUE(DiesWithin(spawned[0], milliseconds(2000))) << "grandchild " << spawned[0] << " survived";
}

TEST(ExecProbe, BackgroundGrandchildHoldingThePipeDoesNotStallTheProbe) {
  TempDir dir;
  const std::string pids = dir.File("pids");
  ProbeResult result = RunShell("sleep 30 & echo $! > " + pids + "; echo started", milliseconds(5000));
  EXPECT_TRUE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "started");
  EXPECT_LT(result.latency, milliseconds(1000));
  std::vector<pid_t> spawned = ReadPids(pids);
  ASSERT_EQ(spawned.size(), 1u);
  EXPECT_TRUE(DiesWithin(spawned[0], milliseconds(2000))) << "background " << spawned[0] << " survived";
}

TEST(ExecProbe, WritesLargerThanThePipeBlockInsteadOfFailing) {
  // Issue 12: stdout was non-blocking, so one write() of more than a pipe
  // holds (64 KiB) failed with EAGAIN and the probe went DOWN. dd writes the
  // 256 KiB in one write(2) call.
  TempDir dir;
  const std::string data = dir.File("data");
  std::ofstream(data) << std::string(256 * 1024, 'y');
  for (int run = 0; run < 5; ++run) {
    ProbeResult result = RunShell("dd if=" + data + " bs=1M count=1 status=none && echo; echo ok");
    EXPECT_TRUE(result.outcome.ok) << "run " << run << ": " << result.outcome.reason;
    EXPECT_EQ(result.outcome.reason, std::string(200, 'y'));
  }
}

// The children of this process (the test is the agent here): an attempt
// leaves none behind, not even a zombie.
std::string OwnChildren() {
  std::string all;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "children");
    all += std::string(std::istreambuf_iterator<char>(in), {});
  }
  return all;
}

TEST(ExecProbe, SetsidGrandchildrenDieWhenTheCommandExits) {
  // Double fork + setsid: the grandchild leaves the process group and is
  // orphaned at once; the group kill alone leaked it (354 in 25 minutes).
  TempDir dir;
  const std::string pids = dir.File("pids");
  std::ofstream(pids).flush();
  for (int run = 0; run < 10; ++run) {
    ProbeResult result = RunShell("(setsid sh -c 'echo $$ >> " + pids +
                                  "; exec sleep 30' &); "
                                  "while [ $(wc -l < " + pids + ") -le " +
                                  std::to_string(run) + " ]; do sleep 0.01; done; echo started");
    EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
    EXPECT_EQ(result.outcome.reason, "started");
  }
  std::vector<pid_t> spawned = ReadPids(pids);
  ASSERT_EQ(spawned.size(), 10u);
  for (pid_t pid : spawned) EXPECT_EQ(kill(pid, 0), -1) << "setsid grandchild " << pid << " survived";
  EXPECT_EQ(OwnChildren(), "");
}

TEST(ExecProbe, SetsidGrandchildrenDieAtTheTimeout) {
  TempDir dir;
  const std::string pids = dir.File("pids");
  ProbeResult result = RunShell("(setsid sh -c 'echo $$ >> " + pids +
                                    "; (setsid sleep 30 & echo $! >> " + pids +
                                    "); exec sleep 30' &); echo waiting; sleep 30",
                                milliseconds(500));
  EXPECT_EQ(result.outcome.reason, "timed out after 500ms: waiting");
  std::vector<pid_t> spawned = ReadPids(pids);
  ASSERT_EQ(spawned.size(), 2u);
  for (pid_t pid : spawned) EXPECT_EQ(kill(pid, 0), -1) << "setsid descendant " << pid << " survived";
  EXPECT_EQ(OwnChildren(), "");
}

// The seed's check_multi_port.sh, verbatim in testdata/, with only its
// hard-coded port list (80 3306 53) replaced by ports this test listens on:
// the real ports need root and may be taken on a developer's machine.
class SeedCheckScript : public ::testing::Test {
 protected:
  std::string ScriptFor(const std::vector<uint16_t>& ports) {
    std::ifstream in(std::filesystem::path(__FILE__).parent_path() / "testdata/check_multi_port.sh");
    std::stringstream text;
    text << in.rdbuf();
    std::string script = text.str();
    const std::string seed_ports = R"(PORTS=("80" "3306" "53"))";
    size_t at = script.find(seed_ports);
    EXPECT_NE(at, std::string::npos) << "the seed script changed";
    std::string ours = "PORTS=(";
    for (uint16_t port : ports) ours += "\"" + std::to_string(port) + "\" ";
    ours.back() = ')';
    script.replace(at, seed_ports.size(), ours);
    const std::string path = dir_.File("check_multi_port.sh");
    std::ofstream(path) << script;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }
  TempDir dir_;
};

TEST_F(SeedCheckScript, PassesWhenAllPortsListen) {
  auto a = testing::Listening();
  auto b = testing::Listening();
  auto c = testing::Listening();
  ProbeResult result = RunArgv({ScriptFor({a.port, b.port, c.port}), "127.0.0.1"});
  EXPECT_TRUE(result.outcome.ok) << result.outcome.reason;
  EXPECT_EQ(result.outcome.reason, "All ports OK on 127.0.0.1");
}

TEST_F(SeedCheckScript, FailsNamingTheClosedPort) {
  auto a = testing::Listening();
  auto b = testing::Listening();
  auto closed = testing::Refusing();
  ProbeResult result = RunArgv({ScriptFor({a.port, closed.port, b.port}), "127.0.0.1"});
  EXPECT_FALSE(result.outcome.ok);
  EXPECT_EQ(result.outcome.reason, "exit 1: Port " + std::to_string(closed.port) + " on 127.0.0.1 is DOWN");
}

}  // namespace
}  // namespace rsagent::probes
