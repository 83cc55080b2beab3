// SPDX-License-Identifier: GPL-2.0
// Second chance (docs/second-chance.md): a tc clsact ingress program on the
// interface facing the directors. For TCP to a VIP:port with second chance
// on, a packet this node cannot serve — a SYN with no local listener, another
// segment with no local socket — is handed to a healthy peer at L2: the
// destination MAC becomes the peer's, the source MAC ours, and it leaves by
// the same interface. The peer owns the VIP on lo too and answers the client
// directly. Flows handed over stay with their peer until they end.
//
// Safety rules, each enforced here and not only by the agent:
// - a frame from a peer's MAC is never forwarded again (no loop);
// - only peers whose bit is set in the service's up mask receive new flows;
// - the agent refreshes a heartbeat; once it is older than the configured
//   age (agent killed), the program passes everything to the stack, exactly
//   as if it were not there: no black hole.
// Helpers used (all in Linux 5.14, RHEL 9): bpf_skc_lookup_tcp (5.2),
// bpf_sk_release, bpf_redirect, bpf_skb_store_bytes, bpf_ktime_get_ns,
// bpf_map_lookup_elem/update/delete, LRU hash and per-CPU array maps.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "netsetup/second_chance_maps.h"

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct sc_control);
} sc_control SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, SC_MAX_SERVICES);
  __type(key, struct sc_service_key);
  __type(value, struct sc_service);
} sc_services SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SC_MAX_PEERS);
  __type(key, __u32);
  __type(value, struct sc_peer);
} sc_peers SEC(".maps");

// Sized by the loader from the config (max_flows).
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, struct sc_flow_key);
  __type(value, __u32);
} sc_flows SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, SC_MAX_PEERS);
  __type(key, __u32);
  __type(value, struct sc_counters);
} sc_counters SEC(".maps");

static __always_inline int mac_equal(const __u8 *a, const __u8 *b) {
  return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] &&
         a[5] == b[5];
}

static __always_inline int from_peer(const __u8 *source) {
  for (__u32 i = 0; i < SC_MAX_PEERS; i++) {
    __u32 key = i;
    struct sc_peer *peer = bpf_map_lookup_elem(&sc_peers, &key);
    if (peer && peer->configured && mac_equal(peer->mac, source)) return 1;
  }
  return 0;
}

// A peer for a new flow: the flow's hash picks among the peers UP for the
// service, so every packet of a flow picks the same one while the set holds.
static __always_inline int pick_peer(__u32 up_mask, const struct sc_flow_key *flow) {
  __u32 count = 0;
  for (__u32 i = 0; i < SC_MAX_PEERS; i++) count += (up_mask >> i) & 1;
  if (count == 0) return -1;
  __u32 h = flow->saddr ^ flow->daddr ^ ((__u32)flow->sport << 16 | flow->dport);
  h ^= h >> 16;
  h *= 0x45d9f3b;
  h ^= h >> 16;
  __u32 n = h % count;
  for (__u32 i = 0; i < SC_MAX_PEERS; i++) {
    if (!((up_mask >> i) & 1)) continue;
    if (n == 0) return i;
    n--;
  }
  return -1;
}

static __always_inline void count(__u32 peer, int new_flow) {
  struct sc_counters *c = bpf_map_lookup_elem(&sc_counters, &peer);
  if (!c) return;
  c->packets++;
  if (new_flow) c->flows++;
}

static __always_inline int hand_over(struct __sk_buff *skb, __u32 peer_index, int new_flow) {
  struct sc_peer *peer = bpf_map_lookup_elem(&sc_peers, &peer_index);
  struct sc_control *control;
  __u32 zero = 0;
  control = bpf_map_lookup_elem(&sc_control, &zero);
  if (!peer || !peer->configured || !control) return TC_ACT_OK;
  if (bpf_skb_store_bytes(skb, 0, peer->mac, ETH_ALEN, 0) < 0) return TC_ACT_OK;
  if (bpf_skb_store_bytes(skb, ETH_ALEN, control->own_mac, ETH_ALEN, 0) < 0) return TC_ACT_OK;
  count(peer_index, new_flow);
  return bpf_redirect(skb->ifindex, 0);
}

SEC("tc")
int second_chance(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data;
  void *end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return TC_ACT_OK;
  struct iphdr *ip = (void *)(eth + 1);
  if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_TCP || ip->ihl != 5) return TC_ACT_OK;
  if (ip->frag_off & bpf_htons(0x3fff)) return TC_ACT_OK;  // fragments: the stack's job
  struct tcphdr *tcp = (void *)(ip + 1);
  if ((void *)(tcp + 1) > end) return TC_ACT_OK;

  struct sc_service_key skey = {.vip = ip->daddr, .port = tcp->dest};
  struct sc_service *service = bpf_map_lookup_elem(&sc_services, &skey);
  if (!service) return TC_ACT_OK;

  __u32 zero = 0;
  struct sc_control *control = bpf_map_lookup_elem(&sc_control, &zero);
  if (!control || bpf_ktime_get_ns() - control->heartbeat_ns > control->max_age_ns) {
    return TC_ACT_OK;  // the agent is gone: plain behaviour
  }
  if (from_peer(eth->h_source)) return TC_ACT_OK;  // handed to us: never again

  struct sc_flow_key flow = {
      .saddr = ip->saddr, .daddr = ip->daddr, .sport = tcp->source, .dport = tcp->dest};
  const int syn = tcp->syn && !tcp->ack;

  if (!syn) {
    __u32 *owner = bpf_map_lookup_elem(&sc_flows, &flow);
    if (owner) {
      __u32 peer = *owner;
      if (tcp->rst) bpf_map_delete_elem(&sc_flows, &flow);
      return hand_over(skb, peer, 0);
    }
  }

  struct bpf_sock_tuple tuple = {.ipv4 = {.saddr = ip->saddr, .daddr = ip->daddr,
                                          .sport = tcp->source, .dport = tcp->dest}};
  struct bpf_sock *sk = bpf_skc_lookup_tcp(skb, &tuple, sizeof(tuple.ipv4), BPF_F_CURRENT_NETNS, 0);
  if (sk) {
    bpf_sk_release(sk);
    // A SYN with a listener is ours; so is any segment of a socket of ours.
    // A non-SYN finding only a listener stays local too: it may be the ACK
    // of a SYN cookie handshake.
    if (syn) bpf_map_delete_elem(&sc_flows, &flow);  // a reused 4-tuple is served here now
    return TC_ACT_OK;
  }

  // Nothing here would take it: the stack would answer RST.
  if (tcp->rst) return TC_ACT_OK;
  int peer = pick_peer(service->up_mask, &flow);
  if (peer < 0) return TC_ACT_OK;  // no peer UP: refused as without us
  __u32 owner = peer;
  if (bpf_map_update_elem(&sc_flows, &flow, &owner, BPF_ANY) < 0) return TC_ACT_OK;
  return hand_over(skb, owner, syn);
}

char LICENSE[] SEC("license") = "GPL";
