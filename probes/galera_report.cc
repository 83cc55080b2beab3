#include "probes/galera_report.h"

#include <cstdio>

namespace rsagent::probes {

namespace {

void Add(ProbeResult* result, std::string name, std::optional<double> value,
         std::map<std::string, std::string> labels = {}) {
  if (value) result->samples.push_back({std::move(name), std::move(labels), *value});
}

std::string Format(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

}  // namespace

void ReportGaleraFacts(const GaleraFacts& f, ProbeResult* result) {
  auto& details = result->details;
  Add(result, "mysql_up", f.answers ? 1.0 : 0.0);
  if (!f.error.empty()) details["error"] = f.error;
  if (!f.answers) return;
  if (!f.version.empty()) details["version"] = f.version;
  Add(result, "mysql_global_variables_read_only", f.read_only ? 1.0 : 0.0);
  details["read_only"] = f.read_only ? "ON" : "OFF";
  if (!f.provider_loaded) {
    details["wsrep"] = "no wsrep provider loaded";
    return;
  }
  Add(result, "mysql_global_status_wsrep_ready", f.ready == "ON" ? 1.0 : 0.0);
  Add(result, "mysql_global_status_wsrep_connected", f.connected == "ON" ? 1.0 : 0.0);
  Add(result, "mysql_galera_primary_component", f.cluster_status == "Primary" ? 1.0 : 0.0);
  Add(result, "mysql_global_status_wsrep_cluster_size", f.cluster_size);
  Add(result, "mysql_global_status_wsrep_local_state", f.local_state);
  if (!f.local_state_comment.empty()) {
    Add(result, "mysql_galera_local_state_info", 1.0, {{"state", f.local_state_comment}});
  }
  Add(result, "mysql_global_status_wsrep_flow_control_paused", f.flow_control_paused);
  Add(result, "mysql_global_status_wsrep_flow_control_paused_ns", f.flow_control_paused_ns);
  Add(result, "mysql_global_status_wsrep_local_recv_queue", f.recv_queue);
  Add(result, "mysql_global_status_wsrep_local_recv_queue_avg", f.recv_queue_avg);
  Add(result, "mysql_global_variables_wsrep_desync", f.desync ? 1.0 : 0.0);

  details["wsrep_cluster_status"] = f.cluster_status;
  details["wsrep_local_state"] =
      (f.local_state ? std::to_string(*f.local_state) : "unknown") + " " + f.local_state_comment;
  if (f.cluster_size) details["wsrep_cluster_size"] = std::to_string(*f.cluster_size);
  details["wsrep_ready"] = f.ready;
  details["wsrep_connected"] = f.connected;
  details["wsrep_desync"] = f.desync ? "ON" : "OFF";
  details["wsrep_reject_queries"] = f.reject_queries;
  if (!f.pxc_maint_mode.empty()) details["pxc_maint_mode"] = f.pxc_maint_mode;
  if (f.flow_control_paused) details["wsrep_flow_control_paused"] = Format(*f.flow_control_paused);
  if (f.recv_queue) details["wsrep_local_recv_queue"] = Format(*f.recv_queue);
}

}  // namespace rsagent::probes
