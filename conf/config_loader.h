// Loading and validating the TOML config. Validation is total: every problem
// is reported (not just the first), each with its position, and a config with
// any error is never returned, so callers cannot half-apply one.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "conf/config.h"

namespace rsagent::conf {

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when the error has no position (unreadable file)
  int column = 0;
  std::string message;  // names the key and what was expected

  std::string ToString() const;  // "FILE:LINE:COL: message"
};

using LoadResult = std::variant<Config, std::vector<ConfigError>>;

LoadResult LoadConfigFile(const std::string& path);
// `source_name` is used in errors and Config::source.
LoadResult LoadConfigString(std::string_view toml_text, const std::string& source_name);

// The embedded default for a plain nginx box (used by `run` when the default
// path does not exist).
std::string_view DefaultConfigText();
inline constexpr const char* kDefaultConfigPath = "/etc/rsagent/rsagent.toml";
inline constexpr const char* kEmbeddedSourceName = "<embedded default>";

}  // namespace rsagent::conf
