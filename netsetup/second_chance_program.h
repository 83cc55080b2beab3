// The second-chance tc program (second_chance.bpf.c) on one interface:
// loaded and attached at clsact ingress, its maps written by the agent. The
// program stays attached when the agent dies (the kernel holds it): it then
// steps aside by itself once the heartbeat is older than `max_age`, and the
// next agent start replaces it.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"

struct second_chance_bpf;

namespace rsagent::netsetup {

using Mac = std::array<uint8_t, 6>;

struct SecondChanceCounters {
  uint64_t packets = 0;  // handed over to the peer
  uint64_t flows = 0;    // connections (SYNs) handed over
};

class SecondChanceProgram {
 public:
  struct Options {
    std::string interface;
    uint32_t max_flows = 65536;
    std::chrono::milliseconds max_age{1000};
  };
  static constexpr int kMaxPeers = 8;

  // Needs CAP_BPF (or CAP_SYS_ADMIN) and CAP_NET_ADMIN. Replaces a program a
  // previous agent left attached.
  static Result<std::unique_ptr<SecondChanceProgram>> Attach(const Options& options);
  ~SecondChanceProgram();  // detaches
  SecondChanceProgram(const SecondChanceProgram&) = delete;
  SecondChanceProgram& operator=(const SecondChanceProgram&) = delete;

  Status SetPeer(int index, const Mac& mac);
  // Second chance on for VIP:port; bit i of `up_mask`: peer i may take new flows.
  Status SetService(const IpAddress& vip, uint16_t port, uint32_t up_mask);
  // "I am alive": the program works until max_age after the last call.
  Status Heartbeat();
  // Per peer, summed over CPUs.
  Result<std::vector<SecondChanceCounters>> Counters() const;

 private:
  SecondChanceProgram(second_chance_bpf* skel, int ifindex, Mac own_mac,
                      std::chrono::milliseconds max_age)
      : skel_(skel), ifindex_(ifindex), own_mac_(own_mac), max_age_(max_age) {}

  second_chance_bpf* skel_;
  int ifindex_;
  Mac own_mac_;
  std::chrono::milliseconds max_age_;
};

}  // namespace rsagent::netsetup
