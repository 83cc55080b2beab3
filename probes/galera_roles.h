// The writer and reader verdicts of a Galera node, from its facts alone (a
// pure function: the unit test table in galera_roles_test.cc is the rule
// book). Both need the node to be a synced member of the Primary component
// that accepts queries; the writer also needs read_only OFF. The probe's own
// outcome is the reader verdict: what clustercheck answers by default.
#pragma once

#include "probes/galera_facts.h"
#include "probes/galera_probe.h"
#include "probes/probe.h"

namespace rsagent::probes {

// UP while all hold, checked in this order (the first that fails is the
// reason): answers; wsrep provider loaded and wsrep_on; pxc_maint_mode
// DISABLED (else drain); wsrep_connected=ON; wsrep_cluster_status=Primary;
// wsrep_ready=ON; wsrep_reject_queries=NONE; wsrep_desync=OFF;
// wsrep_local_state=4 (Synced), or 2 (Donor) with available_when_donor and
// wsrep_sst_donor_rejects_queries OFF.
Outcome EvaluateGaleraReader(const GaleraFacts& facts, const GaleraProbeSpec& spec);

// The reader's conditions plus read_only (and super_read_only) OFF.
Outcome EvaluateGaleraWriter(const GaleraFacts& facts, const GaleraProbeSpec& spec);

}  // namespace rsagent::probes
