// The host's network and sysctl files diagnose reads (diagnose/
// loopback_alias.h, sysctl_arp_lines.h): ifcfg, NetworkManager keyfiles,
// ifupdown interfaces, netplan, sysctl.conf. Every result points at a line
// of the input.
#include <algorithm>
#include <string>

#include "diagnose/loopback_alias.h"
#include "diagnose/sysctl_arp_lines.h"
#include "tests/fuzz/fuzz_check.h"

using namespace rsagent::agent::diagnose;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(FuzzText(data, size));
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (auto parse : {ParseIfcfg, ParseNmKeyfile, ParseInterfaces, ParseNetplan}) {
    for (const LoopbackAlias& alias : parse("f", text)) {
      FUZZ_CHECK(alias.line >= 0 && alias.line <= lines);
      // The prefix is as written (a "/999" is reported by the check, not here).
    }
  }
  for (const SysctlArpLine& arp : ParseSysctlArp("f", text)) {
    FUZZ_CHECK(arp.line >= 1 && arp.line <= lines);
    FUZZ_CHECK(arp.key == "arp_ignore" || arp.key == "arp_announce");
  }
  const int prefix = NetmaskPrefix(text);
  FUZZ_CHECK(prefix >= -1 && prefix <= 32);
  return 0;
}
