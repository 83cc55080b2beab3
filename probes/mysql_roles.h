// The writer and reader verdicts (docs/design.md §6) from a server's facts.
// Every DOWN verdict says why in one line; an UP verdict carries a short note.
#pragma once

#include "probes/mysql_facts.h"
#include "probes/mysql_probe.h"

namespace rsagent::probes {

// UP while the server answers, read_only (and super_read_only) is OFF, no
// channel's SQL thread is behind what its IO thread received or stopped on an
// error (a recovered master must catch up before it takes writes), and —
// with semi_sync_fatal — semi-sync has not fallen back to async. A stopped IO
// thread does not count: the surviving master of a pair must keep writing.
Outcome EvaluateWriter(const MysqlFacts& facts, const MysqlProbeSpec& spec);

// UP while the server answers and every channel runs both threads with a
// known lag ≤ max_lag (heartbeat lag when a table is configured, else
// Seconds_Behind_Master; NULL is unknown and DOWN).
Outcome EvaluateReader(const MysqlFacts& facts, const MysqlProbeSpec& spec);

}  // namespace rsagent::probes
