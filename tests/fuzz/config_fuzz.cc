// The config file (conf/config_loader.h): TOML parsing and the whole
// validation, every probe kind's reader included. Either a config or errors,
// never neither; every error is safe to print (common/safe_text.h) and bounded.
#include <string>

#include "common/safe_text.h"
#include "conf/config_loader.h"
#include "probes/probe_kinds.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<rsagent::conf::ProbeKindReader> kinds =
      rsagent::probes::ProbeKindReaders();
  const auto result = rsagent::conf::LoadConfigString(FuzzText(data, size), "fuzz.toml", kinds);
  if (!result.ok()) {
    FUZZ_CHECK(!result.errors().empty());
    for (const auto& error : result.errors()) {
      FUZZ_CHECK(rsagent::IsSafeText(error.message));
      FUZZ_CHECK(error.message.size() <= 4096);
    }
  }
  return 0;
}
