// A MySQL option file's text (probes/mysql_credentials.h), as the probe
// reads its credentials file.
#include <string>

#include "probes/mysql_credentials.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(FuzzText(data, size));
  if (auto credentials = rsagent::probes::ParseMysqlOptionFile(text); !credentials.ok()) {
    // Errors never quote the file (it holds a password).
    FUZZ_CHECK(credentials.error().size() < 512);
  }
  return 0;
}
