#include "health/state_changes.h"

namespace rsagent::agent {

namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

const char* UpDown(bool up) { return up ? "UP" : "DOWN"; }

milliseconds Lasted(WallTime since, WallTime now) {
  return duration_cast<milliseconds>(now - since);
}

// Looks at `hint` first: snapshots list items in config order, so the same
// position nearly always holds the same item, and comparing two snapshots of
// 1,000 probes stays linear (issue 16).
template <typename T, typename Key>
const T* FindBy(const std::vector<T>& items, const Key& key, auto field, size_t hint = 0) {
  if (hint < items.size() && items[hint].*field == key) return &items[hint];
  for (const auto& item : items) {
    if (item.*field == key) return &item;
  }
  return nullptr;
}

}  // namespace

std::vector<Event> StateChanges::Between(const Snapshot& before, const Snapshot& after) {
  std::vector<Event> out;
  Probes(before, after, out);
  Services(before, after, out);
  Dr(before, after, out);
  return out;
}

void StateChanges::Services(const Snapshot& before, const Snapshot& after,
                            std::vector<Event>& out) const {
  for (size_t i = 0; i < after.services.size(); ++i) {
    const ServiceView& now = after.services[i];
    const ServiceView* was = FindBy(before.services, now.name, &ServiceView::name, i);
    if (!was) continue;  // new (reload)
    if (was->held != now.held) {
      // The panic threshold at work: a shared cause may be failing the pool.
      out.push_back(Event{.level = now.held ? spdlog::level::warn : spdlog::level::info,
                          .action = "service-held",
                          .subject = "service " + now.name,
                          .service = now.name,
                          .vip = now.vip ? now.vip->ToString() : "",
                          .from = was->held ? "held" : "not held",
                          .to = now.held ? "held" : "not held",
                          .reason = now.held ? now.reason : "max_down no longer holds it UP",
                          .flood_bounded = true});
    }
    if (was->up == now.up) continue;
    // A DOWN that the operator asked for (drain, maint, stop) is news, not a
    // fault: info. A fault is a warning.
    const bool fault = !now.up && now.causes.Fault();
    out.push_back(Event{.level = fault ? spdlog::level::warn : spdlog::level::info,
                        .action = "service-state-change",
                        .subject = "service " + now.name,
                        .service = now.name,
                        .vip = now.vip ? now.vip->ToString() : "",
                        .from = UpDown(was->up),
                        .to = UpDown(now.up),
                        .reason = now.up ? "all checks pass" : now.reason,
                        .previous_for = Lasted(was->since, now.since),
                        .flood_bounded = true});
  }
}

void StateChanges::Probes(const Snapshot& before, const Snapshot& after,
                          std::vector<Event>& out) const {
  for (size_t i = 0; i < after.probes.size(); ++i) {
    const ProbeView& probe = after.probes[i];
    const ProbeView* was_probe = FindBy(before.probes, probe.name, &ProbeView::name, i);
    if (!was_probe) continue;
    for (const auto& verdict : probe.verdicts) {
      const VerdictView* was = was_probe->Find(verdict.role);
      if (!was || was->up == verdict.up) continue;
      std::string subject = "probe " + probe.name;
      if (!verdict.role.empty()) subject += " (" + verdict.role + ")";
      out.push_back(Event{.level = verdict.up ? spdlog::level::info : spdlog::level::warn,
                          .action = "probe-state-change",
                          .subject = subject,
                          .probe = probe.name,
                          .role = verdict.role,
                          .from = UpDown(was->up),
                          .to = UpDown(verdict.up),
                          .reason = verdict.reason,
                          .previous_for = Lasted(was->since, verdict.since),
                          .flood_bounded = true});
    }
  }
}

void StateChanges::Dr(const Snapshot& before, const Snapshot& after, std::vector<Event>& out) {
  const auto now = after.taken;
  for (const auto& vip : after.dr.vips) {
    const std::string address = vip.address.ToString();
    auto [since, fresh] = vip_since_.try_emplace(address, now);
    const netsetup::VipStatus* was =
        FindBy(before.dr.vips, vip.address, &netsetup::VipStatus::address);
    if (fresh || !was) continue;  // first report: the start-up line says it
    const Event base{.subject = "VIP " + address, .vip = address, .flood_bounded = true};
    if (vip.heals > was->heals) {
      Event e = base;
      e.level = spdlog::level::warn;
      e.action = "vip-heal";
      e.from = "removed";
      e.to = "bound";
      e.reason = "something removed it; bound it again (heal #" + std::to_string(vip.heals) +
                 ", it had been bound for " + FormatElapsed(Lasted(since->second, now)) + ")";
      out.push_back(std::move(e));
      since->second = now;
    }
    if (vip.present != was->present) {
      Event e = base;
      e.level = vip.present ? spdlog::level::info : spdlog::level::warn;
      e.action = "vip-state-change";
      e.from = was->present ? "bound" : "missing";
      e.to = vip.present ? "bound" : "missing";
      e.reason = vip.present ? "bound again" : (vip.error.empty() ? "not bound" : vip.error);
      e.previous_for = Lasted(since->second, now);
      out.push_back(std::move(e));
      since->second = now;
    }
  }
  if (after.dr.vips.empty()) return;
  const bool first = !arp_since_;
  if (first) arp_since_ = now;
  if (first || before.dr.vips.empty() || before.dr.arp_ok == after.dr.arp_ok) return;
  const auto state = [](bool ok) { return ok ? "effective" : "not effective"; };
  out.push_back(Event{.level = after.dr.arp_ok ? spdlog::level::info : spdlog::level::warn,
                      .action = "arp-state-change",
                      .subject = "ARP suppression",
                      .from = state(before.dr.arp_ok),
                      .to = state(after.dr.arp_ok),
                      .reason = after.dr.arp_ok ? "arp_ignore/arp_announce effective on every "
                                                  "facing interface"
                                                : after.dr.arp_error,
                      .previous_for = Lasted(*arp_since_, now),
                      .flood_bounded = true});
  arp_since_ = now;
}

}  // namespace rsagent::agent
