#include "probes/mysql_flavour.h"

#include <charconv>
#include <tuple>

namespace rsagent::probes {

namespace {

// Reads "N" at the front of `text`; advances past it.
std::optional<int> Number(std::string_view& text) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc()) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return n;
}

std::optional<ServerVersion> ParseNumbers(std::string_view text) {
  ServerVersion v;
  auto major = Number(text);
  if (!major || text.empty() || text.front() != '.') return std::nullopt;
  text.remove_prefix(1);
  auto minor = Number(text);
  if (!minor) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    v.patch = Number(text).value_or(0);
  }
  return v;
}

}  // namespace

bool ServerVersion::AtLeast(int want_major, int want_minor, int want_patch) const {
  return std::tie(major, minor, patch) >= std::tie(want_major, want_minor, want_patch);
}

std::optional<ServerVersion> ParseServerVersion(std::string_view text) {
  const bool mariadb = text.find("MariaDB") != std::string_view::npos;
  if (mariadb && text.starts_with("5.5.5-")) text.remove_prefix(6);
  auto version = ParseNumbers(text);
  if (version) version->mariadb = mariadb;
  return version;
}

const char* ReplicaStatusStatement(const ServerVersion& version) {
  if (version.mariadb) return "SHOW ALL SLAVES STATUS";
  if (version.AtLeast(8, 0, 22)) return "SHOW REPLICA STATUS";
  return "SHOW SLAVE STATUS";
}

const char* ReplicaMonitorGrant(const ServerVersion& version) {
  if (version.mariadb && version.AtLeast(10, 5, 9)) return "SLAVE MONITOR";
  if (version.mariadb && version.AtLeast(10, 5, 0)) return "REPLICATION SLAVE ADMIN";
  return "REPLICATION CLIENT";
}

}  // namespace rsagent::probes
