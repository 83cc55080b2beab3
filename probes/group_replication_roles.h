// The writer and reader verdicts of a Group Replication member, from its
// facts alone (a pure function: the table in group_replication_roles_test.cc
// is the rule book, docs/mysql.md "Group Replication" its prose). Both need
// this member ONLINE in a group where it still sees a majority; the writer is
// the PRIMARY with super_read_only OFF (a new primary keeps it ON until it
// has applied its backlog), a reader a SECONDARY whose applier queue is
// within max_lag transactions.
#pragma once

#include "probes/group_replication_facts.h"
#include "probes/group_replication_probe.h"
#include "probes/probe.h"

namespace rsagent::probes {

// The probe's own outcome, for a service without a role: checked in this
// order (the first that fails is the reason): answers; the queries worked;
// this member (@@server_uuid) is in replication_group_members; it is ONLINE;
// fewer than half the members it sees are UNREACHABLE (else it is in a
// minority partition, which can commit nothing).
Outcome EvaluateGroupMember(const GroupReplicationFacts& facts);

// The member's conditions, MEMBER_ROLE PRIMARY, read_only and
// super_read_only OFF.
Outcome EvaluateGroupWriter(const GroupReplicationFacts& facts);

// The member's conditions, MEMBER_ROLE SECONDARY, its applier queue known
// and at most spec.max_lag transactions.
Outcome EvaluateGroupReader(const GroupReplicationFacts& facts,
                            const GroupReplicationProbeSpec& spec);

}  // namespace rsagent::probes
