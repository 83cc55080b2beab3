// The overrides file in state_dir (control/override_store.h): read at every
// start. What parses serializes back to a file that parses equal.
#include <string>

#include "control/override_store.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent::agent;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto parsed = ParseOverrides(std::string(FuzzText(data, size)));
  if (parsed.ok()) {
    const auto again = ParseOverrides(SerializeOverrides(*parsed));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->size() <= parsed->size());  // kNone entries are not written
    for (const auto& [service, admin] : *again) {
      auto it = parsed->find(service);
      FUZZ_CHECK(it != parsed->end() && it->second.state == admin.state &&
                 it->second.since == admin.since);
    }
  }
  return 0;
}
