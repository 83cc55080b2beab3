// The MySQL pair's report as the peer agent serves it on /writer
// (pair/writer_report.h): read every round from the network. What parses
// carries only safe text and serializes back to a report that parses equal.
#include <string>

#include "common/json_dump.h"
#include "common/safe_text.h"
#include "pair/writer_report.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = pair::ParseWriterReport(FuzzText(data, size));
  if (!parsed.ok()) {
    FUZZ_CHECK(IsSafeText(parsed.error()));
    return 0;
  }
  FUZZ_CHECK(IsSafeText(parsed->service) && IsSafeText(parsed->reason) &&
             IsSafeText(parsed->last_gtid));
  const auto again = pair::ParseWriterReport(DumpJson(pair::ToJson(*parsed)));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *parsed);
  return 0;
}
