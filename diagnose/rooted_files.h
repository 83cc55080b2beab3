// Reading the host's configuration files below a root directory: "/" on a
// real host, a temporary tree in tests. Reads are bounded (config files are
// small; a huge one is an error, not a hang).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace rsagent::agent::diagnose {

class RootedFiles {
 public:
  explicit RootedFiles(std::string root) : root_(std::move(root)) {}

  // PATH is absolute ("/etc/sysctl.conf"); nullopt when it does not exist.
  Result<std::optional<std::string>> Read(const std::string& path) const;
  // The entry names of directory PATH, sorted; empty when it does not exist.
  Result<std::vector<std::string>> List(const std::string& path) const;

 private:
  std::string root_;
};

}  // namespace rsagent::agent::diagnose
