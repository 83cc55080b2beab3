#include "probes/mysql_connection.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "common/clock.h"
#include "common/socket.h"

namespace rsagent::probes {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class MysqlConnectionTest : public ::testing::Test {
 protected:
  MysqlConnectionTest() {
    char tmpl[] = "/tmp/mysql_connection_test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    socket_ = dir_ + "/mysqld.sock";
  }
  ~MysqlConnectionTest() override {
    StopListening();
    std::filesystem::remove_all(dir_);
  }

  // A "server" that accepts and closes at once: reached, but no handshake.
  void ListenAndDrop() {
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{.sun_family = AF_UNIX};
    socket_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ASSERT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(listen(fd.get(), 8), 0);
    listener_ = std::jthread([this, fd = std::move(fd)](std::stop_token stop) {
      while (!stop.stop_requested()) {
        pollfd p{fd.get(), POLLIN, 0};
        if (poll(&p, 1, 20) == 1) {
          close(accept(fd.get(), nullptr, nullptr));
          ++accepted_;
        }
      }
    });
  }
  void StopListening() {
    if (listener_.joinable()) {
      listener_.request_stop();
      listener_.join();
    }
    std::filesystem::remove(socket_);
  }
  // The client's connect returns once the kernel queued it; the listener
  // thread counts it when it gets round to accept() (late on a loaded host).
  int AcceptedAfterSettling(int expected) {
    const auto give_up = Clock::now() + seconds(5);
    while (accepted_.load() < expected && Clock::now() < give_up) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    return accepted_.load();
  }
  std::string Attempt(MysqlConnection& c) {
    auto rows = c.Query("SELECT 1", Clock::now() + milliseconds(500));
    EXPECT_FALSE(rows.ok());
    return rows.ok() ? "" : rows.error();
  }

  std::string dir_, socket_;
  std::atomic<int> accepted_{0};
  std::jthread listener_;
};

TEST_F(MysqlConnectionTest, AConnectThatReachesNoServerIsTriedAgainOnEveryCall) {
  MysqlConnection c(MysqlTarget{.socket = socket_}, std::nullopt,
                    MysqlBackoff(seconds(1), seconds(4)));
  for (int i = 0; i < 3; ++i) {
    const std::string error = Attempt(c);
    EXPECT_NE(error.find("nothing listening: tried again on every run"), std::string::npos)
        << error;
    EXPECT_EQ(error.find("next connect attempt"), std::string::npos) << error;
  }
}

TEST_F(MysqlConnectionTest, AServerReachedIsBackedOffAndItsDeathEndsTheBackoff) {
  MysqlConnection c(MysqlTarget{.socket = socket_}, std::nullopt,
                    MysqlBackoff(seconds(1), seconds(4)));
  ListenAndDrop();
  std::string error = Attempt(c);
  EXPECT_NE(error.find("next connect attempt in 1s"), std::string::npos) << error;
  error = Attempt(c);  // within the backoff: no new connection
  EXPECT_NE(error.find("next connect attempt in"), std::string::npos) << error;
  EXPECT_EQ(AcceptedAfterSettling(1), 1) << "a connect inside the backoff window";
  std::this_thread::sleep_for(milliseconds(1100));
  error = Attempt(c);  // the second attempt doubles the wait
  EXPECT_NE(error.find("next connect attempt in 2s"), std::string::npos) << error;
  EXPECT_EQ(AcceptedAfterSettling(2), 2);

  // The server goes away: once the backoff lets it try, nothing listens,
  // and from then on every call tries (its next incarnation is seen at once).
  StopListening();
  std::this_thread::sleep_for(milliseconds(2100));
  error = Attempt(c);
  EXPECT_NE(error.find("nothing listening"), std::string::npos) << error;
  ListenAndDrop();
  error = Attempt(c);
  EXPECT_NE(error.find("next connect attempt in 1s"), std::string::npos)
      << "the new server is tried at once, with a fresh backoff: " << error;
  EXPECT_EQ(AcceptedAfterSettling(3), 3);
}

}  // namespace
}  // namespace rsagent::probes
