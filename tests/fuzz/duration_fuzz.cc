// Durations in the config ("500ms", "1m30s"; conf/duration.h). What parses
// formats back to text that parses to the same value.
#include "conf/duration.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = rsagent::conf::ParseDuration(FuzzText(data, size));
  if (parsed.ok()) {
    const auto again = rsagent::conf::ParseDuration(rsagent::conf::FormatDuration(*parsed));
    FUZZ_CHECK(again.ok() && *again == *parsed);
  }
  return 0;
}
