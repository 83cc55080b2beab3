// The config file (conf/config_loader.h): TOML parsing and the whole
// validation. Either a config or errors, never both nothing; every error is
// safe to print (common/safe_text.h) and bounded.
#include <string>
#include <variant>

#include "common/safe_text.h"
#include "conf/config_loader.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto result = rsagent::conf::LoadConfigString(FuzzText(data, size), "fuzz.toml");
  if (const auto* errors = std::get_if<std::vector<rsagent::conf::ConfigError>>(&result)) {
    FUZZ_CHECK(!errors->empty());
    for (const auto& error : *errors) {
      FUZZ_CHECK(rsagent::IsSafeText(error.message));
      FUZZ_CHECK(error.message.size() <= 4096);
    }
  }
  return 0;
}
