#include "pair/mysql_query.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "common/safe_text.h"
#include "common/socket.h"

namespace rsagent::pair {
namespace {

using std::chrono::milliseconds;

// A "server" whose greeting is an error packet carrying `message` (what
// mysqld sends a host it refuses, quoting the client's name).
class ErrorGreetingServer {
 public:
  explicit ErrorGreetingServer(std::string message) {
    char tmpl[] = "/tmp/mysql_query_test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    socket_ = dir_ + "/mysqld.sock";
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{.sun_family = AF_UNIX};
    socket_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    EXPECT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd.get(), 8), 0);
    std::string payload = "\xff\x6a\x04" + message;  // ERR, 1130
    std::string packet{static_cast<char>(payload.size()), static_cast<char>(payload.size() >> 8),
                       static_cast<char>(payload.size() >> 16), '\0'};
    packet += payload;
    thread_ = std::jthread([fd = std::move(fd), packet](std::stop_token stop) {
      while (!stop.stop_requested()) {
        pollfd p{fd.get(), POLLIN, 0};
        if (poll(&p, 1, 20) != 1) continue;
        UniqueFd client(accept(fd.get(), nullptr, nullptr));
        (void)!write(client.get(), packet.data(), packet.size());
      }
    });
  }
  ~ErrorGreetingServer() {
    thread_.request_stop();
    thread_.join();
    std::filesystem::remove_all(dir_);
  }
  const std::string& socket_path() const { return socket_; }

 private:
  std::string dir_, socket_;
  std::jthread thread_;
};

TEST(QueryFreshTest, TheServersErrorTextComesOutSafe) {
  // The pair's MySQL text reaches /writer, /status and the logs; invalid
  // UTF-8 there killed the agent in nlohmann's dump.
  ErrorGreetingServer server("Host 'x\xc3\n\x1b[2J' is not allowed to connect");
  probes::MysqlConnection connection(probes::MysqlTarget{.socket = server.socket_path()},
                                     std::nullopt,
                                     probes::MysqlBackoff(milliseconds(1), milliseconds(1)));
  auto rows =
      QueryFresh(connection, "", "SELECT 1", std::chrono::steady_clock::now() + milliseconds(2000));
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().find("is not allowed to connect"), std::string::npos) << rows.error();
  EXPECT_TRUE(IsSafeText(rows.error())) << rows.error();
}

TEST(MakeRowsSafeTest, ValuesAreSafeAndLongOnesKept) {
  const std::string gtids = [] {
    std::string list;
    for (int domain = 0; domain < 100; ++domain) list += std::to_string(domain) + "-1-12345,";
    return list;
  }();
  std::vector<probes::MysqlRow> rows{
      {{"Last_SQL_Error", "Error 'Duplicate entry \xc3' on query. Query: 'INSERT\nINTO t'"},
       {"binlog", gtids},
       {"Seconds_Behind_Master", std::nullopt}}};
  MakeRowsSafe(&rows);
  EXPECT_TRUE(IsSafeText(*rows[0]["Last_SQL_Error"])) << *rows[0]["Last_SQL_Error"];
  EXPECT_EQ(*rows[0]["binlog"], gtids) << "a long GTID list is not cut";
  EXPECT_FALSE(rows[0]["Seconds_Behind_Master"]) << "NULL stays NULL";
}

}  // namespace
}  // namespace rsagent::pair
