#include "probes/galera_roles.h"

namespace rsagent::probes {

namespace {

Outcome Down(std::string reason) { return {false, std::move(reason)}; }

std::string StateText(const GaleraFacts& f) {
  std::string number = f.local_state ? std::to_string(*f.local_state) : "unknown";
  return "wsrep_local_state " + number +
         (f.local_state_comment.empty() ? "" : " (" + f.local_state_comment + ")");
}

std::string SizeText(const GaleraFacts& f) {
  return f.cluster_size ? ", cluster size " + std::to_string(*f.cluster_size) : "";
}

// Empty when the node may serve queries; else why not.
std::optional<Outcome> Unavailable(const GaleraFacts& f, const GaleraProbeSpec& spec) {
  if (!f.answers) return Down("not answering: " + f.error);
  if (!f.error.empty()) return Down(f.error);
  if (!f.provider_loaded)
    return Down("not a Galera node: no wsrep status (no wsrep provider loaded)");
  if (!f.wsrep_on) return Down("not a Galera node: wsrep_on is OFF");
  if (!f.pxc_maint_mode.empty() && f.pxc_maint_mode != "DISABLED") {
    return Down("draining: pxc_maint_mode is " + f.pxc_maint_mode);
  }
  if (f.connected != "ON")
    return Down("not connected to the cluster (wsrep_connected is " + f.connected + ")");
  if (f.cluster_status != "Primary") {
    return Down("not in the Primary component (wsrep_cluster_status is " + f.cluster_status +
                SizeText(f) + ")");
  }
  if (f.ready != "ON") return Down("wsrep_ready is " + f.ready + " (" + StateText(f) + ")");
  if (f.reject_queries != "NONE") return Down("wsrep_reject_queries is " + f.reject_queries);
  if (f.desync) return Down("desynced: wsrep_desync is ON (" + StateText(f) + ")");
  if (f.local_state == kGaleraSynced) return std::nullopt;
  if (f.local_state == kGaleraDonor) {
    if (!spec.available_when_donor)
      return Down("donor: " + StateText(f) + ", available_when_donor is off");
    if (f.donor_rejects_queries) {
      return Down("donor rejecting queries: " + StateText(f) +
                  ", wsrep_sst_donor_rejects_queries is ON");
    }
    return std::nullopt;
  }
  return Down("not synced: " + StateText(f));
}

std::string Note(const GaleraFacts& f) {
  std::string note =
      f.local_state == kGaleraDonor ? "donor, serving (available_when_donor)" : "synced";
  if (f.cluster_size) note += ", " + std::to_string(*f.cluster_size) + " nodes";
  return note;
}

}  // namespace

Outcome EvaluateGaleraReader(const GaleraFacts& facts, const GaleraProbeSpec& spec) {
  if (auto down = Unavailable(facts, spec)) return *down;
  return {true, Note(facts)};
}

Outcome EvaluateGaleraWriter(const GaleraFacts& facts, const GaleraProbeSpec& spec) {
  if (auto down = Unavailable(facts, spec)) return *down;
  if (facts.read_only) return Down("read_only is ON");
  if (facts.super_read_only.value_or(false)) return Down("super_read_only is ON");
  return {true, "writable, " + Note(facts)};
}

}  // namespace rsagent::probes
