// The route-netlink address messages, built and parsed without a kernel: the
// request rsagent sends to bind or remove a VIP, the kernel's answers it
// takes as success, and the address it reads back from a dump.
#include "netsetup/address_message.h"

#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <sys/socket.h>

#include <cstring>

namespace rsagent::netsetup {
namespace {

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

struct Sent {
  uint16_t type = 0;
  uint16_t flags = 0;
  ifaddrmsg header{};
  std::string local;  // IFA_LOCAL, as text
};

// What a kernel would read from the message.
Sent Decode(nl_msg* msg) {
  Sent sent;
  nlmsghdr* hdr = nlmsg_hdr(msg);
  sent.type = hdr->nlmsg_type;
  sent.flags = hdr->nlmsg_flags;
  std::memcpy(&sent.header, nlmsg_data(hdr), sizeof sent.header);
  nlattr* attrs[IFA_MAX + 1] = {};
  EXPECT_EQ(nlmsg_parse(hdr, sizeof(ifaddrmsg), attrs, IFA_MAX, nullptr), 0);
  if (attrs[IFA_LOCAL] != nullptr) {
    const size_t want = sent.header.ifa_family == AF_INET ? 4 : 16;
    EXPECT_EQ(static_cast<size_t>(nla_len(attrs[IFA_LOCAL])), want);
    sent.local =
        IpAddress::FromBytes(sent.header.ifa_family, nla_data(attrs[IFA_LOCAL])).ToString();
  }
  return sent;
}

// The message as libnl's own parser (the one a dump goes through) reads it.
std::optional<BoundAddress> ParseBack(nl_msg* msg) {
  nlmsg_set_proto(msg, NETLINK_ROUTE);
  std::optional<BoundAddress> bound;
  auto take = [](nl_object* obj, void* arg) {
    *static_cast<std::optional<BoundAddress>*>(arg) =
        ReadBoundAddress(reinterpret_cast<rtnl_addr*>(obj));
  };
  EXPECT_EQ(nl_msg_parse(msg, take, &bound), 0);
  return bound;
}

TEST(AddressMessage, AddingAnIpv4VipCreatesAHostAddressOnTheDevice) {
  auto msg = BuildAddressRequest(AddressChange::kAdd, 1, Ip("192.0.2.10"), 32);
  ASSERT_TRUE(msg.ok()) << msg.error();
  const Sent sent = Decode(msg->get());
  EXPECT_EQ(sent.type, RTM_NEWADDR);
  EXPECT_TRUE(sent.flags & NLM_F_CREATE);
  EXPECT_EQ(sent.header.ifa_family, AF_INET);
  EXPECT_EQ(sent.header.ifa_prefixlen, 32);
  EXPECT_EQ(sent.header.ifa_index, 1u);
  EXPECT_FALSE(sent.header.ifa_flags & IFA_F_NODAD) << "nodad is IPv6's";
  EXPECT_EQ(sent.local, "192.0.2.10");
}

TEST(AddressMessage, AnIpv6VipIsAddedWithoutDuplicateAddressDetection) {
  auto msg = BuildAddressRequest(AddressChange::kAdd, 7, Ip("2001:db8::10"), 128);
  ASSERT_TRUE(msg.ok()) << msg.error();
  const Sent sent = Decode(msg->get());
  EXPECT_EQ(sent.type, RTM_NEWADDR);
  EXPECT_EQ(sent.header.ifa_family, AF_INET6);
  EXPECT_EQ(sent.header.ifa_prefixlen, 128);
  EXPECT_EQ(sent.header.ifa_index, 7u);
  EXPECT_TRUE(sent.header.ifa_flags & IFA_F_NODAD) << "else unusable until DAD ends";
  EXPECT_EQ(sent.local, "2001:db8::10");
}

TEST(AddressMessage, DeletingNamesExactlyTheAddressAndPrefix) {
  auto msg = BuildAddressRequest(AddressChange::kDelete, 1, Ip("192.0.2.10"), 24);
  ASSERT_TRUE(msg.ok()) << msg.error();
  const Sent sent = Decode(msg->get());
  EXPECT_EQ(sent.type, RTM_DELADDR);
  EXPECT_FALSE(sent.flags & NLM_F_CREATE);
  EXPECT_EQ(sent.header.ifa_prefixlen, 24) << "a stale /24 is removed, not a /32";
  EXPECT_EQ(sent.local, "192.0.2.10");
}

TEST(AddressMessage, WhatIsSentReadsBackAsTheSameBoundAddress) {
  for (const auto& [text, prefix] :
       {std::pair{"192.0.2.10", 32}, std::pair{"2001:db8::10", 128}, std::pair{"10.1.2.3", 24}}) {
    auto msg = BuildAddressRequest(AddressChange::kAdd, 3, Ip(text), prefix);
    ASSERT_TRUE(msg.ok()) << msg.error();
    const auto bound = ParseBack(msg->get());
    ASSERT_TRUE(bound) << text;
    EXPECT_EQ(bound->ifindex, 3);
    EXPECT_EQ(bound->address, Ip(text));
    EXPECT_EQ(bound->prefix, prefix);
    EXPECT_FALSE(bound->secondary);
  }
}

TEST(AddressMessage, ADumpedSecondaryAddressIsMarkedSoAndOnesWithoutALocalAreSkipped) {
  rtnl_addr* addr = rtnl_addr_alloc();
  nl_addr* local = nl_addr_build(AF_INET, Ip("192.0.2.11").bytes(), 4);
  rtnl_addr_set_ifindex(addr, 2);
  rtnl_addr_set_family(addr, AF_INET);
  ASSERT_EQ(rtnl_addr_set_local(addr, local), 0);
  rtnl_addr_set_prefixlen(addr, 24);
  rtnl_addr_set_flags(addr, IFA_F_SECONDARY);
  const auto bound = ReadBoundAddress(addr);
  ASSERT_TRUE(bound);
  EXPECT_TRUE(bound->secondary);
  EXPECT_EQ(bound->prefix, 24);
  nl_addr_put(local);
  rtnl_addr_put(addr);

  rtnl_addr* empty = rtnl_addr_alloc();
  EXPECT_FALSE(ReadBoundAddress(empty));
  rtnl_addr_put(empty);
}

TEST(AddressMessage, AlreadyThereAndAlreadyGoneAreSuccessOtherAnswersAreErrorsNamingTheAddress) {
  const IpAddress vip = Ip("192.0.2.10");
  EXPECT_TRUE(AddressChangeOutcome(AddressChange::kAdd, vip, 0).ok());
  EXPECT_TRUE(AddressChangeOutcome(AddressChange::kAdd, vip, -NLE_EXIST).ok());
  EXPECT_TRUE(AddressChangeOutcome(AddressChange::kDelete, vip, -NLE_NOADDR).ok());
  EXPECT_TRUE(AddressChangeOutcome(AddressChange::kDelete, vip, -NLE_OBJ_NOTFOUND).ok());

  const Status denied = AddressChangeOutcome(AddressChange::kAdd, vip, -NLE_PERM);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error(), std::string("adding 192.0.2.10: ") + nl_geterror(NLE_PERM));
  const Status gone = AddressChangeOutcome(AddressChange::kAdd, vip, -NLE_NOADDR);
  EXPECT_FALSE(gone.ok()) << "a missing address is no success for an add";
  const Status exists = AddressChangeOutcome(AddressChange::kDelete, vip, -NLE_EXIST);
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().rfind("deleting 192.0.2.10: ", 0), 0u) << exists.error();
}

}  // namespace
}  // namespace rsagent::netsetup
