#include "probes/galera_roles.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/unit/probes/galera_fixtures.h"

namespace rsagent::probes {
namespace {

GaleraFacts Synced() { return SyncedGaleraNode(); }

GaleraFacts Donor() {
  GaleraFacts f = Synced();
  f.local_state = kGaleraDonor;
  f.local_state_comment = "Donor/Desynced";
  return f;
}

GaleraProbeSpec Spec(bool available_when_donor = false) {
  GaleraProbeSpec spec;
  spec.socket = "/run/mysqld/mysqld.sock";
  spec.available_when_donor = available_when_donor;
  return spec;
}

struct Case {
  const char* name;
  std::function<void(GaleraFacts&)> change;
  bool available_when_donor;
  bool reader_up;
  bool writer_up;
  const char* reason;  // the reader's reason; the writer's when only it is DOWN
};

GaleraFacts With(const Case& c) {
  GaleraFacts f = Synced();
  c.change(f);
  return f;
}

// The rule book: each row one condition of docs/mysql.md "Galera".
const Case kCases[] = {
    {"synced", [](GaleraFacts&) {}, false, true, true, "synced, 3 nodes"},
    {"not answering",
     [](GaleraFacts& f) {
       f = GaleraFacts{};
       f.error = "connect to /run/mysqld/mysqld.sock: timed out";
     },
     false, false, false, "not answering: connect to /run/mysqld/mysqld.sock: timed out"},
    {"query failed", [](GaleraFacts& f) { f.error = "SHOW GLOBAL STATUS: Lost connection"; }, false,
     false, false, "SHOW GLOBAL STATUS: Lost connection"},
    {"no provider",
     [](GaleraFacts& f) {
       f.provider_loaded = false;
       f.wsrep_on = false;
     },
     false, false, false, "not a Galera node: no wsrep status (no wsrep provider loaded)"},
    {"wsrep_on off", [](GaleraFacts& f) { f.wsrep_on = false; }, false, false, false,
     "not a Galera node: wsrep_on is OFF"},
    {"pxc_maint_mode maintenance", [](GaleraFacts& f) { f.pxc_maint_mode = "MAINTENANCE"; }, false,
     false, false, "draining: pxc_maint_mode is MAINTENANCE"},
    {"pxc_maint_mode shutdown", [](GaleraFacts& f) { f.pxc_maint_mode = "SHUTDOWN"; }, false, false,
     false, "draining: pxc_maint_mode is SHUTDOWN"},
    {"pxc_maint_mode disabled", [](GaleraFacts& f) { f.pxc_maint_mode = "DISABLED"; }, false, true,
     true, "synced, 3 nodes"},
    {"disconnected",
     [](GaleraFacts& f) {
       f.connected = "OFF";
       f.ready = "OFF";
       f.cluster_status = "Disconnected";
     },
     false, false, false, "not connected to the cluster (wsrep_connected is OFF)"},
    {"non-Primary",
     [](GaleraFacts& f) {
       f.cluster_status = "non-Primary";
       f.ready = "OFF";
       f.cluster_size = 1;
       f.local_state = 0;
       f.local_state_comment = "Initialized";
     },
     false, false, false,
     "not in the Primary component (wsrep_cluster_status is non-Primary, "
     "cluster size 1)"},
    {"not ready",
     [](GaleraFacts& f) {
       f.ready = "OFF";
       f.local_state = 1;
       f.local_state_comment = "Joining";
     },
     false, false, false, "wsrep_ready is OFF (wsrep_local_state 1 (Joining))"},
    {"reject queries", [](GaleraFacts& f) { f.reject_queries = "ALL"; }, false, false, false,
     "wsrep_reject_queries is ALL"},
    {"desync",
     [](GaleraFacts& f) {
       f.desync = true;
       f.local_state = kGaleraDonor;
       f.local_state_comment = "Donor/Desynced";
     },
     true, false, false, "desynced: wsrep_desync is ON (wsrep_local_state 2 (Donor/Desynced))"},
    {"joined, not synced",
     [](GaleraFacts& f) {
       f.local_state = 3;
       f.local_state_comment = "Joined";
     },
     true, false, false, "not synced: wsrep_local_state 3 (Joined)"},
    {"unknown state", [](GaleraFacts& f) { f.local_state.reset(); }, false, false, false,
     "not synced: wsrep_local_state unknown (Synced)"},
    {"donor, not allowed", [](GaleraFacts& f) { f = Donor(); }, false, false, false,
     "donor: wsrep_local_state 2 (Donor/Desynced), available_when_donor is "
     "off"},
    {"donor, allowed", [](GaleraFacts& f) { f = Donor(); }, true, true, true,
     "donor, serving (available_when_donor), 3 nodes"},
    {"donor, allowed but rejecting",
     [](GaleraFacts& f) {
       f = Donor();
       f.donor_rejects_queries = true;
     },
     true, false, false,
     "donor rejecting queries: wsrep_local_state 2 (Donor/Desynced), "
     "wsrep_sst_donor_rejects_queries is ON"},
    {"read_only", [](GaleraFacts& f) { f.read_only = true; }, false, true, false,
     "read_only is ON"},
    {"super_read_only", [](GaleraFacts& f) { f.super_read_only = true; }, false, true, false,
     "super_read_only is ON"},
    {"read_only and not synced",
     [](GaleraFacts& f) {
       f.read_only = true;
       f.local_state = 3;
       f.local_state_comment = "Joined";
     },
     false, false, false, "not synced: wsrep_local_state 3 (Joined)"},
};

TEST(GaleraRolesTest, RuleBook) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    const GaleraFacts facts = With(c);
    const Outcome reader = EvaluateGaleraReader(facts, Spec(c.available_when_donor));
    const Outcome writer = EvaluateGaleraWriter(facts, Spec(c.available_when_donor));
    EXPECT_EQ(reader.ok, c.reader_up);
    EXPECT_EQ(writer.ok, c.writer_up);
    if (!c.reader_up || c.writer_up) {
      EXPECT_EQ(reader.reason, c.reason);
    }
    if (c.reader_up && !c.writer_up) {
      EXPECT_EQ(writer.reason, c.reason);
    } else if (!c.reader_up) {
      EXPECT_EQ(writer.reason, reader.reason) << "both roles DOWN for the same reason";
    }
  }
}

TEST(GaleraRolesTest, WriterNoteSaysWritable) {
  EXPECT_EQ(EvaluateGaleraWriter(Synced(), Spec()).reason, "writable, synced, 3 nodes");
}

}  // namespace
}  // namespace rsagent::probes
