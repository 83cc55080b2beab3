#include "probes/galera_report.h"

#include <cstdio>

#include "probes/mysql_metric.h"

namespace rsagent::probes {

namespace {

constexpr MysqlMetric kReady{"wsrep_ready", "1 while wsrep_ready = ON (the node accepts queries)."};
constexpr MysqlMetric kConnected{"wsrep_connected",
                                 "1 while wsrep_connected = ON (connected to the group)."};
constexpr MysqlMetric kPrimary{"wsrep_primary_component",
                               "1 while wsrep_cluster_status = Primary."};
constexpr MysqlMetric kClusterSize{"wsrep_cluster_size", "Nodes in the node's component."};
constexpr MysqlMetric kLocalState{"wsrep_local_state",
                                  "wsrep_local_state: 1 Joining, 2 Donor, 3 Joined, 4 Synced."};
constexpr MysqlMetric kLocalStateInfo{"wsrep_local_state_info",
                                      "1, with state = wsrep_local_state_comment."};
constexpr MysqlMetric kFlowPaused{
    "wsrep_flow_control_paused_ratio",
    "wsrep_flow_control_paused: fraction of time paused by flow control since FLUSH STATUS."};
constexpr MysqlMetric kFlowPausedSeconds{
    "wsrep_flow_control_paused_seconds_total",
    "Time paused by flow control (wsrep_flow_control_paused_ns).", true};
constexpr MysqlMetric kRecvQueue{"wsrep_local_recv_queue",
                                 "Write-sets received and not yet applied."};
constexpr MysqlMetric kRecvQueueAvg{"wsrep_local_recv_queue_avg",
                                    "Average receive queue length since FLUSH STATUS."};
constexpr MysqlMetric kDesync{"wsrep_desync", "The node's wsrep_desync (1 = ON)."};

std::optional<double> NsToSeconds(std::optional<double> ns) {
  if (!ns) return std::nullopt;
  return *ns / 1e9;
}

std::string Format(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

}  // namespace

void ReportGaleraFacts(const GaleraFacts& f, ProbeResult* result) {
  auto& details = result->details;
  AddMysqlSample(result, kMysqlReadOnly, f.read_only ? 1.0 : 0.0);
  details["read_only"] = f.read_only ? "ON" : "OFF";
  if (!f.provider_loaded) {
    details["wsrep"] = "no wsrep provider loaded";
    return;
  }
  AddMysqlSample(result, kReady, f.ready == "ON" ? 1.0 : 0.0);
  AddMysqlSample(result, kConnected, f.connected == "ON" ? 1.0 : 0.0);
  AddMysqlSample(result, kPrimary, f.cluster_status == "Primary" ? 1.0 : 0.0);
  AddMysqlSample(result, kClusterSize, f.cluster_size);
  AddMysqlSample(result, kLocalState, f.local_state);
  if (!f.local_state_comment.empty()) {
    AddMysqlSample(result, kLocalStateInfo, 1.0, {{"state", f.local_state_comment}});
  }
  AddMysqlSample(result, kFlowPaused, f.flow_control_paused);
  AddMysqlSample(result, kFlowPausedSeconds, NsToSeconds(f.flow_control_paused_ns));
  AddMysqlSample(result, kRecvQueue, f.recv_queue);
  AddMysqlSample(result, kRecvQueueAvg, f.recv_queue_avg);
  AddMysqlSample(result, kDesync, f.desync ? 1.0 : 0.0);

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
