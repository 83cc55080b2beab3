#include "health/load_sampler.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <vector>

#include "common/socket.h"

// Real connections on loopback in the test's own namespace: sock_diag needs
// no privileges to list them.
namespace rsagent::agent {
namespace {

using std::chrono::milliseconds;

UniqueFd ListenOn(const char* address, uint16_t* port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{.sin_family = AF_INET};
  inet_pton(AF_INET, address, &a.sin_addr);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd.get(), 16) != 0) {
    return UniqueFd();
  }
  socklen_t len = sizeof a;
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

struct Connections {
  std::vector<UniqueFd> clients, servers;
  void Open(const char* address, uint16_t port, int listener, int n) {
    for (int i = 0; i < n; ++i) {
      auto fd = ConnectTcp({*IpAddress::Parse(address), port}, Clock::now() + std::chrono::seconds(2));
      ASSERT_TRUE(fd.ok()) << fd.error();
      clients.push_back(std::move(fd.value()));
      servers.emplace_back(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
    }
  }
};

ServiceView Service(const char* name, const char* vip, uint16_t port) {
  ServiceView s;
  s.name = name;
  if (vip) s.vip = *IpAddress::Parse(vip);
  s.port = port;
  return s;
}

TEST(LoadSampler, ServicesSharingAVipAndPortGetTheSameCountOthersTheirOwn) {
  uint16_t port_a = 0, port_b = 0;
  UniqueFd a = ListenOn("127.0.0.1", &port_a);
  UniqueFd b = ListenOn("127.0.0.2", &port_b);
  ASSERT_TRUE(a.valid() && b.valid());
  Connections held;
  held.Open("127.0.0.1", port_a, a.get(), 3);
  held.Open("127.0.0.2", port_b, b.get(), 2);

  Snapshot snapshot;
  snapshot.services = {Service("web", "127.0.0.1", port_a), Service("web-too", "127.0.0.1", port_a),
                       Service("api", "127.0.0.2", port_b), Service("any", nullptr, port_b),
                       Service("elsewhere", "127.0.0.3", port_b), Service("no-port", nullptr, 0)};
  std::string error;
  LoadSample sample = SampleLoad(snapshot, milliseconds(2000), &error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(sample.connections["web"], 3u);
  EXPECT_EQ(sample.connections["web-too"], 3u);
  EXPECT_EQ(sample.connections["api"], 2u);
  EXPECT_EQ(sample.connections["any"], 2u);  // no VIP: any local address
  EXPECT_EQ(sample.connections["elsewhere"], 0u);
  EXPECT_FALSE(sample.connections.contains("no-port"));
}

}  // namespace
}  // namespace rsagent::agent
