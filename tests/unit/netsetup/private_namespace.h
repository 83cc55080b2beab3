// For unit tests against the real kernel: each test in a network namespace
// of its own, so nothing outside it is touched.
#pragma once

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <memory>

#include "netsetup/rtnl.h"

namespace rsagent::netsetup {

// Moves the calling thread, and the threads it starts, into a fresh network
// namespace that has only a loopback link, down, and the default sysctls, and
// opens `rtnl` there. Skips the test when not root; the caller returns when
// `IsSkipped() || HasFatalFailure()`.
inline void OpenRtnlInPrivateNamespace(std::unique_ptr<Rtnl>* rtnl) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (a private network namespace)";
  ASSERT_EQ(unshare(CLONE_NEWNET), 0) << "unshare(CLONE_NEWNET) failed";
  auto opened = Rtnl::Open();
  ASSERT_TRUE(opened.ok()) << opened.error();
  *rtnl = std::move(opened).value();
}

}  // namespace rsagent::netsetup
