// /proc/net/tcp and tcp6 as diagnose reads them (diagnose/proc_net_tcp.h).
#include <string>

#include "diagnose/proc_net_tcp.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(FuzzText(data, size));
  for (bool v6 : {false, true}) {
    for (const auto& listener : rsagent::agent::diagnose::ParseProcNetTcp(text, v6)) {
      FUZZ_CHECK(listener.address.is_v4() != v6);
    }
  }
  return 0;
}
