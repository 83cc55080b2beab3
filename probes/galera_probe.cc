#include "probes/galera_probe.h"

#include "conf/toml_reader.h"
#include "probes/galera_report.h"
#include "probes/galera_roles.h"
#include "probes/mysql_session.h"
#include "probes/probe_outcome.h"

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
  ReadMysqlTarget(table, &spec.socket, &spec.address, &spec.credentials);
  if (auto v = table.Bool("available_when_donor")) spec.available_when_donor = *v;
  return spec;
}

GaleraProbe::GaleraProbe(GaleraProbeSpec spec)
    : GaleraProbe(spec, MakeMysqlSession(MysqlTarget{spec.socket, spec.address}, spec.credentials,
                                         ProbeReconnectBackoff())) {}

GaleraProbe::GaleraProbe(GaleraProbeSpec spec, std::unique_ptr<MysqlSession> session)
    : spec_(std::move(spec)), session_(std::move(session)) {}

ProbeResult GaleraProbe::Attempt(Clock::time_point deadline) {
  const Clock::time_point start = Clock::now();
  GaleraFacts facts = Gather(deadline);
  Outcome reader = EvaluateGaleraReader(facts, spec_);
  ProbeResult result = reader.ok ? Passed(start, reader.reason) : Failed(start, reader.reason);
  result.roles["writer"] = EvaluateGaleraWriter(facts, spec_);
  result.roles["reader"] = reader;
  ReportGaleraFacts(facts, &result);
  result.details["connects"] = std::to_string(session_->connects());
  return result;
}

GaleraFacts GaleraProbe::Gather(Clock::time_point deadline) {
  GaleraFacts facts;
  if (Status alive = session_->EnsureAnswering(deadline); !alive.ok()) {
    facts.error = alive.error();
    return facts;
  }
  facts.answers = true;
  facts.version = session_->server_version();
  auto status = session_->Query(kStatusStatement, deadline);
  if (!status.ok()) {
    facts.error = status.error();
    return facts;
  }
  auto variables = session_->Query(kVariablesStatement, deadline);
  if (!variables.ok()) {
    facts.error = variables.error();
    return facts;
  }
  ParseGaleraFacts(ToNameValueMap(*status), ToNameValueMap(*variables), &facts);
  return facts;
}

}  // namespace rsagent::probes
