// Files the packages install that fix texts point at; the paths are the
// install rules' (packaging/rsagent-packages.cmake), checked by
// tests/integration/packaging/deb_install_test.sh.
#pragma once

namespace rsagent::agent::diagnose {

// ARP suppression from boot, inactive as shipped (packaging/README.md).
inline constexpr char kShippedArpSysctlFile[] = "/usr/share/rsagent/sysctl/90-rsagent-arp.conf";
// docs/migrating.md: from a manual loopback-alias set-up to rsagent.
inline constexpr char kShippedMigratingDoc[] = "/usr/share/doc/rsagent/migrating.md";

}  // namespace rsagent::agent::diagnose
