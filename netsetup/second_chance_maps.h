// The maps shared by the second-chance tc program (second_chance.bpf.c) and
// its loader (second_chance_program.cc): one layout for both sides. Addresses
// and ports in network byte order, as in the packet.
#ifndef RSAGENT_NETSETUP_SECOND_CHANCE_MAPS_H_
#define RSAGENT_NETSETUP_SECOND_CHANCE_MAPS_H_

#include <linux/types.h>

#define SC_MAX_PEERS 8
#define SC_MAX_SERVICES 64

struct sc_control {
  __u64 heartbeat_ns;  // CLOCK_MONOTONIC (bpf_ktime_get_ns), refreshed by the agent
  __u64 max_age_ns;    // older than this: the program passes everything
  __u8 own_mac[6];     // of the interface, source of handed-over frames
  __u8 pad[2];
};

struct sc_service_key {
  __u32 vip;
  __u16 port;
  __u16 pad;
};

struct sc_service {
  __u32 up_mask;  // bit i: peer i is UP for this service (its agent says so)
  __u32 pad;
};

struct sc_peer {
  __u8 mac[6];
  __u8 configured;
  __u8 pad;
};

struct sc_flow_key {
  __u32 saddr;
  __u32 daddr;
  __u16 sport;
  __u16 dport;
};

struct sc_counters {
  __u64 packets;  // handed over to this peer
  __u64 flows;    // connections (SYNs) handed over to this peer
};

#endif  // RSAGENT_NETSETUP_SECOND_CHANCE_MAPS_H_
