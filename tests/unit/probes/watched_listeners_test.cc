#include "probes/watched_listeners.h"

#include "probes/exec_probe.h"
#include "probes/http_probe.h"
#include "probes/mysql_probe.h"
#include "probes/tcp_probe.h"

#include <gtest/gtest.h>

namespace rsagent::probes {
namespace {

conf::ProbeConfig Probe(conf::ProbeSpec spec) {
  conf::ProbeConfig p;
  p.name = "p";
  p.spec = std::move(spec);
  return p;
}

std::vector<std::string> Texts(const std::vector<Endpoint>& endpoints) {
  std::vector<std::string> out;
  for (const auto& e : endpoints) out.push_back(e.ToString());
  return out;
}

TEST(WatchedListeners, TcpWatchesEveryTarget) {
  conf::ProbeConfig p =
      Probe(TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80"), *Endpoint::Parse("[::1]:443")}});
  EXPECT_EQ(Texts(WatchedListeners(p)), (std::vector<std::string>{"127.0.0.1:80", "[::1]:443"}));
}

TEST(WatchedListeners, HttpWatchesTheUrlsAddressAndPort) {
  EXPECT_EQ(Texts(WatchedListeners(Probe(HttpProbeSpec{.url = "http://127.0.0.1/"}))),
            std::vector<std::string>{"127.0.0.1:80"});
  EXPECT_EQ(Texts(WatchedListeners(Probe(HttpProbeSpec{.url = "https://localhost:8443/x"}))),
            std::vector<std::string>{"127.0.0.1:8443"});
}

TEST(WatchedListeners, OffAndOtherKindsWatchNothing) {
  conf::ProbeConfig off = Probe(TcpProbeSpec{{*Endpoint::Parse("127.0.0.1:80")}});
  off.watch_listener = false;
  EXPECT_TRUE(WatchedListeners(off).empty());
  EXPECT_TRUE(WatchedListeners(Probe(ExecProbeSpec{.command = {"/bin/true"}})).empty());
  EXPECT_TRUE(WatchedListeners(Probe(MysqlProbeSpec{.address = *Endpoint::Parse("127.0.0.1:3306")}))
                  .empty());
}

}  // namespace
}  // namespace rsagent::probes
