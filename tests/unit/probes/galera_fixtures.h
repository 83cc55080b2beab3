// Facts of a healthy node of a 3-node Galera cluster, for the galera tests
// to change one condition at a time.
#pragma once

#include "probes/galera_facts.h"

namespace rsagent::probes {

inline GaleraFacts SyncedGaleraNode() {
  GaleraFacts f;
  f.answers = true;
  f.provider_loaded = true;
  f.wsrep_on = true;
  f.ready = "ON";
  f.connected = "ON";
  f.cluster_status = "Primary";
  f.local_state = kGaleraSynced;
  f.local_state_comment = "Synced";
  f.cluster_size = 3;
  return f;
}

}  // namespace rsagent::probes
