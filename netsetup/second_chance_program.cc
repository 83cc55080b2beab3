#include "netsetup/second_chance_program.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "common/socket.h"
#include "netsetup/second_chance.skel.h"
#include "netsetup/second_chance_maps.h"

namespace rsagent::netsetup {
namespace {

static_assert(SC_MAX_PEERS == SecondChanceProgram::kMaxPeers);

// Our filter's place at ingress: a fixed handle and priority, so a restart
// replaces what a killed agent left behind instead of adding a second one.
constexpr uint32_t kHandle = 0x5c;
constexpr uint32_t kPriority = 0x5c;

std::string LibbpfError(int rc) { return ErrnoText(rc < 0 ? -rc : rc); }

Result<Mac> InterfaceMac(const std::string& interface) {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Error{"socket: " + ErrnoText(errno)};
  ifreq request{};
  std::strncpy(request.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  if (ioctl(fd.get(), SIOCGIFHWADDR, &request) < 0) {
    return Error{"MAC address of " + interface + ": " + ErrnoText(errno)};
  }
  Mac mac;
  std::memcpy(mac.data(), request.ifr_hwaddr.sa_data, mac.size());
  return mac;
}

uint64_t MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);  // bpf_ktime_get_ns's clock
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

Result<std::unique_ptr<SecondChanceProgram>> SecondChanceProgram::Attach(const Options& options) {
  const std::string where = "second chance on " + options.interface + ": ";
  const int ifindex = static_cast<int>(if_nametoindex(options.interface.c_str()));
  if (ifindex == 0) return Error{where + "no such interface"};
  auto mac = InterfaceMac(options.interface);
  if (!mac) return Error{where + mac.error()};

  second_chance_bpf* skel = second_chance_bpf__open();
  if (skel == nullptr) return Error{where + "open the BPF object: " + ErrnoText(errno)};
  std::unique_ptr<SecondChanceProgram> program(
      new SecondChanceProgram(skel, ifindex, *mac, options.max_age));
  if (int rc = bpf_map__set_max_entries(skel->maps.sc_flows, options.max_flows); rc < 0) {
    return Error{where + "size the flow table: " + LibbpfError(rc)};
  }
  if (int rc = second_chance_bpf__load(skel); rc < 0) {
    return Error{where +
                 "load the BPF program (needs CAP_BPF and CAP_NET_ADMIN): " + LibbpfError(rc)};
  }
  // Alive from the start: the control entry is written before the program
  // sees its first packet.
  if (Status s = program->Heartbeat(); !s) return Error{where + s.error()};

  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  if (int rc = bpf_tc_hook_create(&hook); rc < 0 && rc != -EEXIST) {
    return Error{where + "create the clsact qdisc: " + LibbpfError(rc)};
  }
  LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(skel->progs.second_chance),
              .flags = BPF_TC_F_REPLACE, .handle = kHandle, .priority = kPriority);
  if (int rc = bpf_tc_attach(&hook, &opts); rc < 0) {
    return Error{where + "attach at tc ingress: " + LibbpfError(rc)};
  }
  return program;
}

SecondChanceProgram::~SecondChanceProgram() {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex_, .attach_point = BPF_TC_INGRESS);
  LIBBPF_OPTS(bpf_tc_opts, opts, .handle = kHandle, .priority = kPriority);
  (void)bpf_tc_detach(&hook, &opts);  // fails only if it was never attached
  second_chance_bpf__destroy(skel_);
}

Status SecondChanceProgram::SetPeer(int index, const Mac& mac) {
  if (index < 0 || index >= kMaxPeers) return Error{"peer index out of range"};
  sc_peer peer{};
  std::memcpy(peer.mac, mac.data(), mac.size());
  peer.configured = 1;
  const uint32_t key = static_cast<uint32_t>(index);
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.sc_peers), &key, &peer, BPF_ANY) < 0) {
    return Error{"set peer: " + ErrnoText(errno)};
  }
  return Status::Ok();
}

Status SecondChanceProgram::SetService(const IpAddress& vip, uint16_t port, uint32_t up_mask) {
  if (!vip.is_v4()) return Error{"second chance handles IPv4 VIPs only"};
  sc_service_key key{};
  std::memcpy(&key.vip, vip.bytes(), 4);
  key.port = htons(port);
  sc_service value{.up_mask = up_mask, .pad = 0};
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.sc_services), &key, &value, BPF_ANY) < 0) {
    return Error{"set service: " + ErrnoText(errno)};
  }
  return Status::Ok();
}

Status SecondChanceProgram::Heartbeat() {
  sc_control control{};
  control.heartbeat_ns = MonotonicNs();
  control.max_age_ns =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(max_age_).count());
  std::memcpy(control.own_mac, own_mac_.data(), own_mac_.size());
  const uint32_t key = 0;
  if (bpf_map_update_elem(bpf_map__fd(skel_->maps.sc_control), &key, &control, BPF_ANY) < 0) {
    return Error{"heartbeat: " + ErrnoText(errno)};
  }
  return Status::Ok();
}

Result<std::vector<SecondChanceCounters>> SecondChanceProgram::Counters() const {
  const int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) return Error{"counters: cannot count CPUs"};
  std::vector<sc_counters> per_cpu(static_cast<size_t>(cpus));
  std::vector<SecondChanceCounters> out(kMaxPeers);
  for (uint32_t i = 0; i < kMaxPeers; ++i) {
    if (bpf_map_lookup_elem(bpf_map__fd(skel_->maps.sc_counters), &i, per_cpu.data()) < 0) {
      return Error{"counters: " + ErrnoText(errno)};
    }
    for (const sc_counters& c : per_cpu) {
      out[i].packets += c.packets;
      out[i].flows += c.flows;
    }
  }
  return out;
}

}  // namespace rsagent::netsetup
