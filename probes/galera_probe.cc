#include "probes/galera_probe.h"

#include "conf/toml_reader.h"
#include "probes/galera_report.h"
#include "probes/galera_roles.h"

namespace rsagent::probes {

namespace {

constexpr const char* kStatusStatement =
    "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', "
    "'wsrep_connected',"
    " 'wsrep_cluster_status', 'wsrep_local_state', 'wsrep_local_state_comment',"
    " 'wsrep_cluster_size', 'wsrep_flow_control_paused', "
    "'wsrep_flow_control_paused_ns',"
    " 'wsrep_local_recv_queue', 'wsrep_local_recv_queue_avg')";
constexpr const char* kVariablesStatement =
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_desync',"
    " 'wsrep_reject_queries', 'wsrep_sst_donor_rejects_queries', "
    "'pxc_maint_mode',"
    " 'read_only', 'super_read_only')";

}  // namespace

GaleraProbeSpec GaleraProbeSpec::Read(conf::TableReader& table) {
  GaleraProbeSpec spec;
  ReadDatabaseServer(table, &spec);
  if (auto v = table.Bool("available_when_donor")) spec.available_when_donor = *v;
  return spec;
}

Status GaleraProbe::Read(DatabaseStatements& statements, GaleraFacts* facts) {
  ASSIGN_OR_RETURN(auto status, statements.Run(kStatusStatement));
  ASSIGN_OR_RETURN(auto variables, statements.Run(kVariablesStatement));
  const NameValueMap variable_map = ToNameValueMap(variables);
  RETURN_IF_ERROR(RequireVariables(variable_map, {"read_only"}));  // super_read_only: PXC only
  ParseGaleraFacts(ToNameValueMap(status), variable_map, facts);
  return Status::Ok();
}

DatabaseVerdicts GaleraProbe::Judge(const GaleraFacts& facts) const {
  // The probe's own outcome is the reader's: what clustercheck answers.
  Outcome reader = EvaluateGaleraReader(facts, spec());
  return {.member = reader, .writer = EvaluateGaleraWriter(facts, spec()), .reader = reader};
}

void GaleraProbe::Report(const GaleraFacts& facts, ProbeResult* result) const {
  ReportGaleraFacts(facts, result);
}

}  // namespace rsagent::probes
