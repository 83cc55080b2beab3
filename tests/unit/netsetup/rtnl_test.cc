// Rtnl against the real kernel, each test in a network namespace of its own
// (unshare), so nothing outside it is touched. Needs root: skipped otherwise.
#include "netsetup/rtnl.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/unit/netsetup/private_namespace.h"

namespace rsagent::netsetup {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

class RtnlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenRtnlInPrivateNamespace(&rtnl_);
    if (IsSkipped() || HasFatalFailure()) return;
    auto state = rtnl_->Read();
    ASSERT_TRUE(state.ok()) << state.error();
    const Link* lo = state->FindLink("lo");
    ASSERT_NE(lo, nullptr);
    lo_ = lo->index;
  }

  bool Bound(const IpAddress& ip, int prefix) {
    auto state = rtnl_->Read();
    EXPECT_TRUE(state.ok()) << state.error();
    return state.ok() && state->HasAddress(lo_, ip, prefix);
  }

  std::unique_ptr<Rtnl> rtnl_;
  int lo_ = 0;
};

TEST_F(RtnlTest, ReadsTheLoopbackLinkAndNoAddress) {
  auto state = rtnl_->Read();
  ASSERT_TRUE(state.ok()) << state.error();
  ASSERT_EQ(state->links.size(), 1u);
  EXPECT_EQ(state->links[0].name, "lo");
  EXPECT_TRUE(state->links[0].loopback);
  EXPECT_TRUE(state->addresses.empty());  // lo is down: not even 127.0.0.1
}

TEST_F(RtnlTest, AddsAndDeletesAnIpv4AndAnIpv6Address) {
  ASSERT_TRUE(rtnl_->AddAddress(lo_, Ip("192.0.2.10"), 32).ok());
  ASSERT_TRUE(rtnl_->AddAddress(lo_, Ip("2001:db8::10"), 128).ok());
  EXPECT_TRUE(Bound(Ip("192.0.2.10"), 32));
  EXPECT_TRUE(Bound(Ip("2001:db8::10"), 128));
  EXPECT_FALSE(Bound(Ip("192.0.2.10"), 24));  // the prefix is part of the address

  ASSERT_TRUE(rtnl_->DeleteAddress(lo_, Ip("192.0.2.10"), 32).ok());
  ASSERT_TRUE(rtnl_->DeleteAddress(lo_, Ip("2001:db8::10"), 128).ok());
  EXPECT_FALSE(Bound(Ip("192.0.2.10"), 32));
  EXPECT_FALSE(Bound(Ip("2001:db8::10"), 128));
}

TEST_F(RtnlTest, AddingAnAddressAlreadyThereAndDeletingOneGoneAreSuccess) {
  ASSERT_TRUE(rtnl_->AddAddress(lo_, Ip("192.0.2.11"), 32).ok());
  Status again = rtnl_->AddAddress(lo_, Ip("192.0.2.11"), 32);
  EXPECT_TRUE(again.ok()) << again.error();
  ASSERT_TRUE(rtnl_->DeleteAddress(lo_, Ip("192.0.2.11"), 32).ok());
  Status gone = rtnl_->DeleteAddress(lo_, Ip("192.0.2.11"), 32);
  EXPECT_TRUE(gone.ok()) << gone.error();
  EXPECT_FALSE(Bound(Ip("192.0.2.11"), 32));
}

TEST_F(RtnlTest, AnAddressOnALinkThatDoesNotExistIsAnErrorNamingTheAddress) {
  Status added = rtnl_->AddAddress(lo_ + 1000, Ip("192.0.2.12"), 32);
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().find("192.0.2.12"), std::string::npos) << added.error();
  EXPECT_FALSE(Bound(Ip("192.0.2.12"), 32));
}

}  // namespace
}  // namespace rsagent::netsetup
