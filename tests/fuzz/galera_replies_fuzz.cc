// The galera probe's reading of a node's replies (probes/galera_probe.cc,
// galera_facts.cc, galera_roles.cc): arbitrary SHOW GLOBAL STATUS and
// VARIABLES rows through a scripted session (tests/fuzz/scripted_session.h).
// Beyond no crash and no UB, a role is UP only when the replies prove the
// node may serve: wsrep on and ready, connected, in the Primary component,
// not rejecting queries or desynced or in maintenance, and Synced (state 4)
// or a donor (state 2) that serves with available_when_donor; the writer
// also with read_only known OFF.
//
// Directives (besides the session's down and version): available_when_donor.
// Reply classes: status, variables.
#include <memory>
#include <string>

#include "probes/galera_probe.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/probe_result_check.h"
#include "tests/fuzz/scripted_session.h"

using namespace rsagent;
using namespace rsagent::probes;
using fuzz::KnownOff;
using fuzz::NamedValue;
using fuzz::OnWord;

namespace {

const fuzz::StatementKinds kStatementKinds = {{"SHOW GLOBAL STATUS", "status"},
                                              {"SHOW GLOBAL VARIABLES", "variables"}};

void CheckServes(const fuzz::ScriptedSession& s, const GaleraProbeSpec& spec) {
  const fuzz::DbReply* status = s.Used("status");
  const fuzz::DbReply* variables = s.Used("variables");
  FUZZ_CHECK(status && variables);
  FUZZ_CHECK(NamedValue(variables, "wsrep_on") && OnWord(*NamedValue(variables, "wsrep_on")));
  FUZZ_CHECK(NamedValue(status, "wsrep_ready") == "ON");
  FUZZ_CHECK(NamedValue(status, "wsrep_connected") == "ON");
  FUZZ_CHECK(NamedValue(status, "wsrep_cluster_status") == "Primary");
  const auto reject = NamedValue(variables, "wsrep_reject_queries");
  FUZZ_CHECK(!reject || reject->empty() || *reject == "NONE");
  const auto desync = NamedValue(variables, "wsrep_desync");
  FUZZ_CHECK(!desync || !OnWord(*desync));
  const auto maint = NamedValue(variables, "pxc_maint_mode");
  FUZZ_CHECK(!maint || maint->empty() || *maint == "DISABLED");
  const auto state = NamedValue(status, "wsrep_local_state");
  FUZZ_CHECK(state == "4" || (state == "2" && spec.available_when_donor));
  if (state == "2") {
    const auto rejects = NamedValue(variables, "wsrep_sst_donor_rejects_queries");
    FUZZ_CHECK(!rejects || !OnWord(*rejects));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::DbReplies script = fuzz::ParseDbReplies(FuzzText(data, size));
  GaleraProbeSpec spec;
  spec.socket = "/run/mysqld/mysqld.sock";
  spec.available_when_donor = script.directives.contains("available_when_donor");

  auto owned = std::make_unique<fuzz::ScriptedSession>(&script, kStatementKinds);
  const fuzz::ScriptedSession& session = *owned;
  GaleraProbe probe(spec, std::move(owned));
  const ProbeResult result = probe.Attempt(Clock::now() + std::chrono::seconds(1));

  for (const char* role : {"writer", "reader"}) {
    const auto it = result.roles.find(role);
    FUZZ_CHECK(it != result.roles.end());
    if (!it->second.ok) continue;
    FUZZ_CHECK(!script.directives.contains("down"));
    CheckServes(session, spec);
    if (std::string_view(role) == "writer") {
      const auto read_only = NamedValue(session.Used("variables"), "read_only");
      FUZZ_CHECK(KnownOff(read_only));
      const auto super_read_only = NamedValue(session.Used("variables"), "super_read_only");
      FUZZ_CHECK(!super_read_only || KnownOff(super_read_only));
    }
  }
  FUZZ_CHECK(result.outcome.ok == result.roles.at("reader").ok);
  CheckProbeResult(result);
  return 0;
}
